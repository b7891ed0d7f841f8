/** Names every plain object answers to: as input they must be plain text. */
export const PROTOTYPE_WORDS = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

/** What leaks when such a word is looked up on a plain object. */
export const LEAKED = /\[native code\]|function \w*\(|\[object Object\]/;
