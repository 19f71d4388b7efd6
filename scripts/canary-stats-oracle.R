# Reference values for the canary statistics (functions/core/verification/stats), computed by R's own
# wilcox.test, poisson.test and rpact's group-sequential designs. Regenerate with:
#   Rscript scripts/canary-stats-oracle.R > test/fixtures/canary-stats-oracle.json
# (Debian: apt-get install -y r-base-core r-cran-rpact). Non-finite numbers are written as the strings
# "Infinity" / "-Infinity" because JSON has no literal for them.
suppressMessages(library(rpact))
num <- function(v) {
  s <- ifelse(is.infinite(v), ifelse(v > 0, '"Infinity"', '"-Infinity"'), sprintf("%.17g", v))
  if (length(v) == 1) s else paste0("[", paste(s, collapse = ","), "]")
}
obj <- function(...) { a <- list(...); paste0("{", paste(sprintf('"%s":%s', names(a), unlist(a)), collapse = ","), "}") }
arr <- function(items) paste0("[\n", paste(items, collapse = ",\n"), "\n]")
vec <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ","), "]")

mw <- function(label, x, y, xw = NULL, yw = NULL) {
  xx <- if (is.null(xw)) x else rep(x, xw)
  yy <- if (is.null(yw)) y else rep(y, yw)
  two <- suppressWarnings(wilcox.test(xx, yy, conf.int = TRUE, correct = TRUE))
  gr <- suppressWarnings(wilcox.test(xx, yy, alternative = "greater", correct = TRUE))
  le <- suppressWarnings(wilcox.test(xx, yy, alternative = "less", correct = TRUE))
  exact <- length(xx) < 50 && length(yy) < 50 && !any(duplicated(c(xx, yy)))
  obj(label = sprintf('"%s"', label), x = vec(x), y = vec(y),
      xWeights = if (is.null(xw)) "null" else vec(xw), yWeights = if (is.null(yw)) "null" else vec(yw),
      exact = tolower(exact), W = num(unname(two$statistic)), pTwoSided = num(two$p.value),
      pGreater = num(gr$p.value), pLess = num(le$p.value), estimate = num(unname(two$estimate)),
      confInt = num(as.numeric(two$conf.int)))
}

set.seed(13)
cases <- c(
  # R's own ?wilcox.test example (Hollander & Wolfe 1973, p. 69): W = 35, one-sided p = 0.1272.
  mw("hollander-wolfe", c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46), c(1.15, 0.88, 0.90, 0.74, 1.21)),
  mw("exact-12-15", round(rnorm(12, 10.6), 4), round(rnorm(15, 10), 4)),
  mw("exact-49-49", round(rexp(49) * 200 + 20, 5), round(rexp(49) * 180 + 20, 5)),
  mw("ties-small", sample(1:8, 14, TRUE), sample(2:9, 11, TRUE)),
  mw("normal-80-120", round(rlnorm(80, 5.4, 0.3), 5), round(rlnorm(120, 5.3, 0.3), 5)),
  mw("normal-300-400-shifted", round(rnorm(300, 212, 30) * 1.1, 4), round(rnorm(400, 212, 30), 4)),
  mw("bucketed-latency", c(100, 102, 104.04, 106.12, 108.24, 110.41, 112.62), c(98.04, 100, 102, 104.04, 106.12, 108.24, 110.41),
     xw = c(3, 10, 25, 30, 20, 8, 4), yw = c(6, 20, 40, 30, 15, 6, 3))
)

pt <- function(x1, t1, x2, t2) {
  two <- poisson.test(c(x1, x2), c(t1, t2))
  gr <- poisson.test(c(x1, x2), c(t1, t2), alternative = "greater")
  le <- poisson.test(c(x1, x2), c(t1, t2), alternative = "less")
  obj(x1 = x1, t1 = t1, x2 = x2, t2 = t2, pTwoSided = num(two$p.value), pGreater = num(gr$p.value),
      pLess = num(le$p.value), rateRatio = num(unname(two$estimate)), confInt = num(as.numeric(two$conf.int)))
}
rates <- c(pt(11, 800, 21, 3011), pt(5, 1000, 0, 10000), pt(1, 200, 0, 2000), pt(0, 1000, 3, 1000),
           pt(30, 5000, 20, 5000), pt(7, 1000, 70, 10000), pt(2, 10000, 40, 10000), pt(400, 100000, 300, 100000))

sp <- function(k, alpha, sided) {
  d <- getDesignGroupSequential(kMax = k, alpha = alpha, sided = sided, typeOfDesign = "asOF")
  obj(planned = k, level = alpha, sides = sided, z = num(d$criticalValues), nominal = num(d$stageLevels * sided))
}
spending <- c(sp(5, 0.05, 2), sp(10, 0.025, 1), sp(3, 0.025, 1), sp(20, 0.05, 2), sp(10, 0.05, 2))

cat(obj(generatedBy = '"scripts/canary-stats-oracle.R"', r = sprintf('"%s"', R.version.string),
        mannWhitney = arr(cases), poissonRate = arr(rates), spending = arr(spending)), "\n")
