// An LFM prior that is wrong, overruled by one patient's N-of-1 data.
//
// A foundation model predicts that a treatment lowers this patient's daily pain score (0–10)
// by 1.5 points, and it is confident (sd 0.4). The patient runs an N-of-1 trial: 8 blocks of
// two 7-day periods (treatment / placebo in random order), 56 days on each arm. The daily
// scores scatter with sd 2, so the difference of the two arm means has standard error
// 2·√(1/56 + 1/56) = 2/√28: the same as the mean of n = 28 observations with sigma = 2.
// The patient's observed difference is +0.3: no benefit at all.
//
// Run: npx tsup && node node_modules/tsx/dist/cli.mjs examples/wrong-prior.ts
import assert from 'node:assert/strict';
import {
  effectiveSampleSize,
  normal,
  priorDataConflict,
  robustify,
  summarize,
  updateNormal,
} from 'n1kit';

const sigma = 2;
const data = { mean: 0.3, n: 28, sigma }; // treatment minus placebo, lower is better
const mcid = -0.5; // minimal clinically important difference

const lfmPrior = normal(-1.5, 0.4);
const robustPrior = robustify(lfmPrior, { weight: 0.2, mean: 0, sigma });

const ess = effectiveSampleSize(lfmPrior, { likelihood: 'normal', sigma });
console.log(`LFM prior N(-1.5, 0.4) is worth ${ess.toFixed(0)} days of this patient's data`);

const conflict = priorDataConflict(lfmPrior, data);
console.log(`prior-data conflict: Box p = ${conflict.pValue.toExponential(2)}`);

const naive = summarize(updateNormal(lfmPrior, data), { betterIs: 'lower', threshold: mcid });
const robust = summarize(updateNormal(robustPrior, data), { betterIs: 'lower', threshold: mcid });
const weight = priorDataConflict(robustPrior, data).robustWeight;

const fmt = (s: typeof naive) =>
  `mean ${s.mean.toFixed(2)}, 95% interval [${s.interval[0].toFixed(2)}, ${s.interval[1].toFixed(2)}], ` +
  `P(helps) ${s.probBetter.toFixed(3)}, P(helps by >= 0.5) ${(s.probClinicallyBetter ?? 0).toFixed(3)}`;
console.log(`LFM prior alone   -> ${fmt(naive)}`);
console.log(`robustified prior -> ${fmt(robust)}`);
console.log(`weight of the vague component: prior ${weight?.prior}, posterior ${weight?.posterior.toFixed(3)}`);

// The prior is worth 25 days (sigma²/sd² = 4/0.16) and the data contradict it.
assert.equal(Math.round(ess), 25);
assert.ok(conflict.pValue < 0.01);
// The LFM prior alone still "finds" a benefit the patient's data do not show ...
// (closed form: precision-weighted mean (−1.5·6.25 + 0.3·7)/(6.25 + 7) = −0.549).
assert.ok(Math.abs(naive.mean - (-1.5 * 6.25 + 0.3 * 7) / 13.25) < 1e-12);
assert.ok(naive.probBetter > 0.95);
// ... the robust prior lets the data overrule it: no convincing benefit remains.
assert.ok(weight !== undefined && weight.posterior > 0.9);
assert.ok(robust.mean > 0);
assert.ok(robust.probBetter < 0.5);
assert.ok((robust.probClinicallyBetter ?? 1) < 0.1);
console.log('the patient\'s data overruled the wrong LFM prior');
