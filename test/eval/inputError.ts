/** Missing or unusable input for an evaluation script: a usage message, exit code 2, no stack trace. */
export class InputError extends Error {}
