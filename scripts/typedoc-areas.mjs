// TypeDoc plugin: files every exported name of the API reference under the area of the source
// folder it is declared in (Design, Bayesian core, Models, ...), so the reference reads as a
// manual grouped like the guides, without a `@category` tag repeated on every declaration.
// An explicit `@category` in a comment wins.
import { Comment, CommentTag, Converter } from 'typedoc';

const AREAS = [
  ['/src/errors', 'Errors and validation'],
  ['/src/validate', 'Errors and validation'],
  ['/src/rng/', 'Random numbers'],
  ['/src/distributions/', 'Distributions'],
  ['/src/design/', 'Design'],
  ['/src/bayes/', 'Bayesian core'],
  ['/src/models/', 'Models'],
  ['/src/data/', 'Data'],
  ['/src/prior/', 'Priors & pipeline'],
  ['/src/hybrid/', 'Priors & pipeline'],
  ['/src/population/', 'Priors & pipeline'],
  ['/src/simulate/', 'Simulation'],
  ['/src/adaptive/', 'Adaptive'],
  ['/src/privacy/', 'Privacy'],
  ['/src/plot/', 'Plots'],
  ['/src/worker/', 'Browser'],
  ['/src/demo', 'Demo data'],
];

/** @param {import('typedoc').Application} app */
export function load(app) {
  const fileOf = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    const symbol = context.getSymbolFromReflection(reflection);
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
    if (file) fileOf.set(reflection, file.replace(/\\/g, '/'));
  });
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, () => {
    for (const [reflection, file] of fileOf) {
      const area = AREAS.find(([dir]) => file.includes(dir))?.[1];
      if (area === undefined) continue;
      const sig = reflection.signatures?.[0];
      const comments = [reflection.comment, sig?.comment];
      if (comments.some((c) => c?.getTag('@category'))) continue;
      if (sig?.comment === undefined && reflection.comment === undefined) reflection.comment = new Comment();
      const target = sig?.comment ?? reflection.comment;
      target.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: area }]));
    }
  });
}
