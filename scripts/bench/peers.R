# JAGS (rjags) and Stan (rstan) side of the peer benchmark (scripts/bench/peers.mjs drives it;
# CI never runs it). Same data and priors as n1kit: the data files come from
# `npx tsx scripts/bench/peers-n1kit.ts export <dir>`.
#
# Usage: Rscript scripts/bench/peers.R <jags|stan> <data dir> <seed> '<settings json>'
#   settings: {"<case>": {"warmup": w, "draws": d}, ...}, per chain, 4 chains.
# Prints one JSON line per case: seconds of sampling, bulk ESS (posterior::ess_bulk) of each
# treatment effect, posterior means and sds.
#
# Timing: JAGS: adapt(w/2) + update(w/2) + coda.samples(d), i.e. the model is compiled by
# jags.model(n.adapt = 0) outside the timer. Stan: sampling() with 4 chains run one after the
# other in this process (cores = 1), warmup w, refresh 0; the model is compiled once into a
# cache (<data dir>/stan-<case>.rds) outside the timer. R's start-up and package loading are
# not counted for either.
suppressMessages({
  library(posterior)
})
a <- commandArgs(trailingOnly = TRUE)
tool <- a[1]; dir <- a[2]; seed <- as.integer(a[3]); settings_json <- a[4]

# Minimal parser for the flat settings JSON (no jsonlite dependency).
parse_settings <- function(s) {
  out <- list()
  m <- gregexpr('"([A-Za-z0-9]+)"\\s*:\\s*\\{[^}]*\\}', s)[[1]]
  for (i in seq_along(m)) {
    chunk <- substr(s, m[i], m[i] + attr(m, "match.length")[i] - 1)
    name <- sub('^"([A-Za-z0-9]+)".*$', "\\1", chunk)
    w <- as.integer(sub('.*"warmup"\\s*:\\s*([0-9]+).*', "\\1", chunk))
    d <- as.integer(sub('.*"draws"\\s*:\\s*([0-9]+).*', "\\1", chunk))
    out[[name]] <- list(warmup = w, draws = d)
  }
  out
}
settings <- parse_settings(settings_json)

jags_models <- list(
  normal = "model {
  for (t in 1:n) { y[t] ~ dnorm(b0 + inprod(X[t, ], beta), prec) }
  b0 ~ dnorm(b0_m, 1 / (b0_s * b0_s))
  beta[1] ~ dnorm(bm[1], 1 / (bs[1] * bs[1]))
  z2 ~ dcat(mw)
  beta[2] ~ dnorm(mm[z2], 1 / (ms[z2] * ms[z2]))
  prec ~ dgamma(va, vb)
}",
  washout = "model {
  for (t in 1:n) { y[t] ~ dnorm(b0 + inprod(X[t, ], beta), prec) }
  b0 ~ dnorm(b0_m, 1 / (b0_s * b0_s))
  for (k in 1:K) { beta[k] ~ dnorm(bm[k], 1 / (bs[k] * bs[k])) }
  prec ~ dgamma(va, vb)
}",
  ar1 = "model {
  for (t in 1:n) { mu[t] <- b0 + inprod(X[t, ], beta) }
  y[1] ~ dnorm(mu[1], prec * (1 - rho * rho))
  for (t in 2:n) {
    phi[t] <- pow(rho, gap[t])
    y[t] ~ dnorm(mu[t] + phi[t] * (y[t - 1] - mu[t - 1]), prec * (1 - rho * rho) / (1 - phi[t] * phi[t]))
  }
  b0 ~ dnorm(b0_m, 1 / (b0_s * b0_s))
  for (k in 1:K) { beta[k] ~ dnorm(bm[k], 1 / (bs[k] * bs[k])) }
  prec ~ dgamma(va, vb)
  rho ~ dunif(-1, 1)
}",
  binomial = "model {
  for (t in 1:n) {
    logit(p[t]) <- b0 + inprod(X[t, ], beta)
    y[t] ~ dbin(p[t], N[t])
  }
  b0 ~ dnorm(b0_m, 1 / (b0_s * b0_s))
  for (k in 1:K) { beta[k] ~ dnorm(bm[k], 1 / (bs[k] * bs[k])) }
}",
  poisson = "model {
  for (t in 1:n) {
    log(lambda[t]) <- log(E[t]) + b0 + inprod(X[t, ], beta)
    y[t] ~ dpois(lambda[t])
  }
  b0 ~ dnorm(b0_m, 1 / (b0_s * b0_s))
  for (k in 1:K) { beta[k] ~ dnorm(bm[k], 1 / (bs[k] * bs[k])) }
}",
  series = "model {
  mu ~ dnorm(mu_m, 1 / (mu_s * mu_s))
  tau ~ dnorm(0, 1 / (tau_s * tau_s)) T(0,)
  for (j in 1:J) {
    b0[j] ~ dnorm(b0_m, 1 / (b0_s * b0_s))
    prec[j] ~ dgamma(va, vb)
    beta[j] ~ dnorm(mu, 1 / (tau * tau))
  }
  for (t in 1:n) { y[t] ~ dnorm(b0[pid[t]] + beta[pid[t]] * x[t], prec[pid[t]]) }
}"
)

stan_common_data <- "int<lower=1> n; int<lower=1> K; matrix[n, K] X; vector[n] y; real b0_m; real<lower=0> b0_s; vector[K] bm; vector<lower=0>[K] bs;"
stan_models <- list(
  normal = paste0("data { ", stan_common_data, " real va; real vb; vector[2] mw; vector[2] mm; vector[2] ms; }
parameters { real b0; vector[K] beta; real<lower=0> prec; }
model {
  b0 ~ normal(b0_m, b0_s);
  beta[1] ~ normal(bm[1], bs[1]);
  target += log_mix(mw[1], normal_lpdf(beta[2] | mm[1], ms[1]), normal_lpdf(beta[2] | mm[2], ms[2]));
  prec ~ gamma(va, vb);
  y ~ normal(b0 + X * beta, inv_sqrt(prec));
}"),
  washout = paste0("data { ", stan_common_data, " real va; real vb; }
parameters { real b0; vector[K] beta; real<lower=0> prec; }
model {
  b0 ~ normal(b0_m, b0_s);
  beta ~ normal(bm, bs);
  prec ~ gamma(va, vb);
  y ~ normal(b0 + X * beta, inv_sqrt(prec));
}"),
  ar1 = paste0("data { ", stan_common_data, " real va; real vb; vector[n] gap; }
parameters { real b0; vector[K] beta; real<lower=0> prec; real<lower=-1, upper=1> rho; }
model {
  vector[n] mu = b0 + X * beta;
  real s = inv_sqrt(prec);
  b0 ~ normal(b0_m, b0_s);
  beta ~ normal(bm, bs);
  prec ~ gamma(va, vb);
  y[1] ~ normal(mu[1], s / sqrt(1 - rho * rho));
  for (t in 2:n) {
    real phi = pow(rho, gap[t]);
    y[t] ~ normal(mu[t] + phi * (y[t - 1] - mu[t - 1]), s * sqrt((1 - phi * phi) / (1 - rho * rho)));
  }
}"),
  binomial = paste0("data { ", stan_common_data, " int N[n]; int yi[n]; }
parameters { real b0; vector[K] beta; }
model {
  b0 ~ normal(b0_m, b0_s);
  beta ~ normal(bm, bs);
  yi ~ binomial_logit(N, b0 + X * beta);
}"),
  poisson = paste0("data { ", stan_common_data, " vector[n] E; int yi[n]; }
transformed data { vector[n] logE = log(E); }
parameters { real b0; vector[K] beta; }
model {
  b0 ~ normal(b0_m, b0_s);
  beta ~ normal(bm, bs);
  yi ~ poisson_log(logE + b0 + X * beta);
}"),
  # Non-centred, as Stan's manual recommends for a hierarchical model with few patients.
  series = "data { int<lower=1> n; int<lower=1> J; vector[n] y; int pid[n]; vector[n] x;
  real mu_m; real<lower=0> mu_s; real<lower=0> tau_s; real b0_m; real<lower=0> b0_s; real va; real vb; }
parameters { real mu; real<lower=0> tau; vector[J] b0; vector<lower=0>[J] prec; vector[J] z; }
transformed parameters { vector[J] beta = mu + tau * z; }
model {
  mu ~ normal(mu_m, mu_s);
  tau ~ normal(0, tau_s);
  b0 ~ normal(b0_m, b0_s);
  prec ~ gamma(va, vb);
  z ~ std_normal();
  y ~ normal(b0[pid] + beta[pid] .* x, inv_sqrt(prec[pid]));
}"
)

load_data <- function(case) {
  env <- new.env()
  sys.source(file.path(dir, paste0(case, ".R")), envir = env)
  as.list(env)
}

effect_names <- function(case, data) {
  if (case == "series") return(list(mu = "mu"))
  nm <- c("magnesium", "sleep")
  out <- list()
  for (k in seq_len(data$K)) out[[nm[k]]] <- sprintf("beta[%d]", k)
  out
}

num <- function(x) sprintf("%.10g", x)
emit <- function(case, s, seconds, draws_of, effs) {
  ess <- c(); mn <- c(); sdv <- c()
  for (e in names(effs)) {
    m <- draws_of(effs[[e]]) # iterations x chains
    ess[e] <- ess_bulk(m)
    mn[e] <- mean(m)
    sdv[e] <- sd(as.vector(m))
  }
  kv <- function(v) paste0("{", paste(sprintf('"%s":%s', names(v), num(v)), collapse = ","), "}")
  cat(sprintf('{"tool":"%s","case":"%s","seconds":%s,"essMin":%s,"essPerSec":%s,"ess":%s,"mean":%s,"sd":%s,"chains":4,"warmup":%d,"draws":%d}\n',
    tool, case, num(seconds), num(min(ess)), num(min(ess) / seconds), kv(ess), kv(mn), kv(sdv), s$warmup, s$draws))
}

if (tool == "jags") {
  suppressMessages(library(rjags))
  for (case in names(settings)) {
    s <- settings[[case]]
    data <- load_data(case)
    data <- data[intersect(names(data), c("n", "K", "X", "y", "N", "E", "gap", "J", "pid", "x", "b0_m", "b0_s", "bm", "bs", "va", "vb", "mw", "mm", "ms", "mu_m", "mu_s", "tau_s"))]
    if (case == "series") data$K <- NULL
    if (case != "normal") { data$mw <- NULL; data$mm <- NULL; data$ms <- NULL }
    if (!(case %in% c("normal", "washout", "ar1", "series"))) { data$va <- NULL; data$vb <- NULL }
    inits <- lapply(1:4, function(i) list(.RNG.name = "base::Mersenne-Twister", .RNG.seed = seed * 10 + i))
    effs <- effect_names(case, data)
    params <- if (case == "series") "mu" else "beta"
    m <- suppressWarnings(jags.model(textConnection(jags_models[[case]]), data = data, inits = inits, n.chains = 4, n.adapt = 0, quiet = TRUE))
    t0 <- proc.time()[["elapsed"]]
    adapt(m, s$warmup %/% 2, end.adaptation = TRUE)
    update(m, s$warmup - s$warmup %/% 2, progress.bar = "none")
    smp <- coda.samples(m, params, n.iter = s$draws, progress.bar = "none")
    seconds <- proc.time()[["elapsed"]] - t0
    emit(case, s, seconds, function(p) sapply(smp, function(ch) as.matrix(ch)[, p]), effs)
  }
} else if (tool == "stan") {
  suppressMessages(library(rstan))
  for (case in names(settings)) {
    s <- settings[[case]]
    data <- load_data(case)
    cache <- file.path(dir, paste0("stan-", case, ".rds"))
    mod <- if (file.exists(cache)) readRDS(cache) else {
      mm <- stan_model(model_code = stan_models[[case]], model_name = case)
      saveRDS(mm, cache)
      mm
    }
    if (case == "binomial") data$N <- as.integer(round(data$N))
    if (case %in% c("binomial", "poisson")) data$yi <- as.integer(round(data$y))
    if (case == "series") data$pid <- as.integer(data$pid)
    effs <- effect_names(case, data)
    t0 <- proc.time()[["elapsed"]]
    fit <- sampling(mod, data = data, chains = 4, cores = 1, iter = s$warmup + s$draws, warmup = s$warmup,
                    seed = seed, refresh = 0, pars = if (case == "series") "mu" else "beta")
    seconds <- proc.time()[["elapsed"]] - t0
    arr <- as.array(fit) # iterations x chains x parameters
    emit(case, s, seconds, function(p) arr[, , p], effs)
  }
} else stop("tool must be jags or stan")
