import path from 'node:path';
import ts from 'typescript';

export interface RiskyLookup {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** The one place allowed to index a table with a string, because it checks Object.hasOwn first. */
const ALLOWED_FILES = new Set(['bot/core/ownLookup.ts']);

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** `json${i}` or `x_${name}` can never name an Object.prototype property, whatever fills the gap. */
function hasSafePrefix(key: ts.Expression): boolean {
  return ts.isTemplateExpression(key) && key.head.text !== '' && !PROTOTYPE_NAMES.some((name) => name.startsWith(key.head.text));
}

/**
 * Finds lookups that would let a user's string reach Object.prototype: `key in table` with a
 * computed key, and `table[key]` where the key is any string (not a fixed set of literals) on
 * something that is not an array, string or Map. `toString`, `constructor` and `__proto__` are
 * properties of every plain object, so such a lookup answers for them.
 */
export function findRiskyLookups(root: string): RiskyLookup[] {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const files = parsed.fileNames.filter((f) => path.relative(root, f).startsWith(`bot${path.sep}`));
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const found: RiskyLookup[] = [];

  const isStringish = (type: ts.Type): boolean => {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) return true;
    if (type.isUnion()) return type.types.some(isStringish);
    if (type.flags & ts.TypeFlags.TypeParameter) {
      const constraint = checker.getBaseConstraintOfType(type);
      return !constraint || isStringish(constraint);
    }
    return false;
  };
  const isSafeContainer = (type: ts.Type): boolean => {
    if (type.isUnion()) return type.types.every(isSafeContainer);
    if (checker.isArrayType(type) || checker.isTupleType(type)) return true;
    if (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined)) return true;
    const name = type.getSymbol()?.getName();
    return name === 'Map' || name === 'Set' || name === 'URLSearchParams' || name === 'Buffer' || name === 'Uint8Array';
  };

  for (const sourceFile of program.getSourceFiles()) {
    const rel = path.relative(root, sourceFile.fileName).split(path.sep).join('/');
    if (!rel.startsWith('bot/') || ALLOWED_FILES.has(rel) || rel.endsWith('.d.ts')) continue;
    const report = (node: ts.Node, why: string) => {
      const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
      found.push({ file: rel, line: line + 1, text: node.getText(sourceFile).slice(0, 120), why });
    };
    const visit = (node: ts.Node) => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword && !ts.isStringLiteralLike(node.left)) {
        report(node, '`in` with a computed key also finds inherited properties: use Object.hasOwn or a Map');
      }
      if (ts.isElementAccessExpression(node) && !ts.isLiteralExpression(node.argumentExpression) && !hasSafePrefix(node.argumentExpression)) {
        const key = node.argumentExpression;
        const objectType = checker.getTypeAtLocation(node.expression);
        if (ts.isAsExpression(key) && isStringish(checker.getTypeAtLocation(key.expression)) && !isSafeContainer(objectType)) report(node, 'a cast key is unchecked input in disguise: check it with isOwnKey() first');
        else if (isStringish(checker.getTypeAtLocation(key)) && !isSafeContainer(objectType)) report(node, 'indexing a plain object with any string: use own() from bot/core/ownLookup.ts or a Map');
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

if (require.main === module) {
  for (const r of findRiskyLookups(process.cwd())) console.log(`${r.file}:${r.line}  ${r.text}  (${r.why})`);
}
