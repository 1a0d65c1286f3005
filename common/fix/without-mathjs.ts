/**
 * Points jspurefix's `require('mathjs')` at fixed-notation.ts, the one mathjs function it uses (see there:
 * mathjs would cost every process that speaks FIX ~90 MiB resident). A synchronous module hook of this
 * thread, registered before jspurefix is loaded (jspurefix.ts imports this first); any other module that
 * asks for mathjs still gets mathjs.
 */
import { registerHooks } from 'node:module';

const SHIM = new URL('./fixed-notation.ts', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'mathjs' && context.parentURL?.includes('/node_modules/jspurefix/'))
      return { url: SHIM, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
