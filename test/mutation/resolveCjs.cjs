// Mocha 12 ships its cli internals as .cjs, but @stryker-mutator/mocha-runner 10.1 still requires
// them without an extension (stryker-js PR #6205 fixes it upstream). Teaching require() to try
// .cjs lets the runner load; drop this file and its two uses once that fix is released.
// eslint-disable-next-line n/no-deprecated-api
require.extensions['.cjs'] ??= require.extensions['.js'];
