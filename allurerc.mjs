// Allure 3 report configuration, found by `npx allure generate` / `npx allure run` in the project root.
// A plain object (defineConfig from 'allure' only returns its argument): the allure CLI is not a dependency here.
//
// Environment: Allure 3 reads reports/allure-results/environment.properties itself (its allure2 reader) and the
// report shows it, so there is no `environment`/`variables` here (`environment` would name a report environment).
// allure-vitest writes that file when its reporter is given `environmentInfo`.
// No quality gate: the exit code of a run is conform's verdict, not Allure's.

/** Failure messages start with `[category]` (allureFailureMessage in src/report/allure.ts); the first line decides. */
const failing = ['failed', 'broken']

export default {
  name: 'User-update API conformance',
  resultsDir: './reports/allure-results',
  output: './reports/allure-report',
  historyPath: './reports/allure-history.jsonl',
  historyLimit: 30,
  categories: [
    // conform compare marks the candidate's regressions (src/compare/mark-allure.ts); first match wins.
    { name: 'Regressions (passed on the baseline)', matchers: { statuses: failing, message: /^\[regression\]/ } },
    { name: 'Behaviour failures', matchers: { statuses: failing, message: /^\[behaviour\]/ } },
    { name: 'Schema violations', matchers: { statuses: failing, message: /^\[schema\]/ } },
    { name: 'Transport problems', matchers: { statuses: failing, message: /^\[transport\]/ } },
    { name: 'Setup problems', matchers: { statuses: failing, message: /^\[(setup|spec)\]/ } },
  ],
}
