// A Stryker ignorer plugin (see stryker.config.mjs): no mutants in logging.
// What a log line says, and whether a purely informative one is written, is for the people reading the log, not
// behaviour a test should hold; those mutants only survive, and each costs a run of every test that reaches it.
// Ignored: a log statement (`this.log.warn(...)`), an `if` whose only job is a log statement, and a logger's name
// (`createLogger('poller')`). Phone masking is not lost: no mutator turns `maskPhone(x)` into `x`, and masking has
// tests of its own.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

/** `log`, `logger`, or a member ending in one of them (`this.log`, `this.opts.log`, `deps.logger`). */
function isLogger(node) {
  if (node.type === 'Identifier') return node.name === 'log' || node.name === 'logger';
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
    return node.property.name === 'log' || node.property.name === 'logger';
  }
  return false;
}

/** The statement `<logger>.<level>(...)`. */
export function isLogStatement(node) {
  if (node?.type !== 'ExpressionStatement' || node.expression.type !== 'CallExpression') return false;
  const callee = node.expression.callee;
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    LEVELS.has(callee.property.name) &&
    isLogger(callee.object)
  );
}

/** `if (cond) log.info(...)` or `if (cond) { log.info(...); log.warn(...) }`, with no else. */
function isLogOnlyIf(node) {
  if (node.type !== 'IfStatement' || node.alternate) return false;
  const body = node.consequent.type === 'BlockStatement' ? node.consequent.body : [node.consequent];
  return body.length > 0 && body.every(isLogStatement);
}

function isCreateLogger(node) {
  return node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'createLogger';
}

export const logIgnorer = {
  shouldIgnore(path) {
    const { node } = path;
    if (isLogStatement(node) || isLogOnlyIf(node) || isCreateLogger(node)) return 'logging: read by people, not behaviour';
    return undefined;
  },
};

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'log-statements', logIgnorer)];
