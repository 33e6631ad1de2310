# The loop a researcher writes today: simulate an N-of-1 trial, fit it, count successes.
# Same cases as bench/simulate.bench.ts: 2 arms, 3 blocks of 14 days, block-randomised.
#   exact:    y ~ N(mu + effect, 3), lm(y ~ treat), success when the one-sided p < 0.05
#   ar1:      AR(1) errors (rho 0.4), arima(y, c(1,0,0), xreg = treat)
#   binomial: daily yes/no, glm(y ~ treat, binomial)
# Usage: Rscript scripts/bench/simulate-r-loop.R  (prints replicates per second as JSON)
set.seed(1)
design <- function() {
  unlist(lapply(1:3, function(b) rep(sample(c(1, 0)), each = 14)))
}
one <- function(case) {
  treat <- design()
  n <- length(treat)
  if (case == "exact") {
    y <- 10 - 1.5 * treat + rnorm(n, 0, 3)
    f <- summary(lm(y ~ treat))$coefficients
    return(f[2, 3] < qt(0.05, n - 2))
  }
  if (case == "ar1") {
    e <- as.numeric(arima.sim(list(ar = 0.4), n, sd = 3))
    y <- 10 - 1.5 * treat + e
    f <- arima(y, order = c(1, 0, 0), xreg = treat, method = "ML")
    return(f$coef["treat"] / sqrt(f$var.coef["treat", "treat"]) < qnorm(0.05))
  }
  p <- plogis(qlogis(0.4) - 1 * treat)
  y <- rbinom(n, 1, p)
  f <- summary(glm(y ~ treat, family = binomial))$coefficients
  f[2, 3] < qnorm(0.05)
}
out <- list()
for (case in c("exact", "ar1", "binomial")) {
  R <- if (case == "exact") 2000 else 500
  t <- system.time(s <- sum(vapply(seq_len(R), function(i) one(case), logical(1))))[["elapsed"]]
  out[[case]] <- list(replicates = R, seconds = t, perSecond = R / t, power = s / R)
}
cat(sprintf('{"exact": %.1f, "ar1": %.1f, "binomial": %.1f}\n', out$exact$perSecond, out$ar1$perSecond, out$binomial$perSecond))
