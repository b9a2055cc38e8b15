// Where synth reaches into cdktf's machinery, because at 3,000 stacks it cost more than everything
// the landing zone itself does (measured with --cpu-prof; docs/scale.md has the table). None of it
// changes a byte of the output: what cdktf keeps for its own error messages, its bookkeeping of
// tokens already resolved, and how fast it copies values that hold no token.
// test/synth-speed.test.ts holds each to that.
import { Token, Tokenization, type ResolveOptions } from "cdktf";
import cdktfStackTrace = require("cdktf/lib/tokens/private/stack-trace");
import { TokenMap } from "cdktf/lib/tokens/private/token-map";

/** Everything synth changes, once per process (or worker thread). */
export function speedUpCdktf(): void {
  skipTokenCreationTraces();
  resolvePlainValuesDirectly();
}

const NO_TRACE: string[] = [];

/**
 * cdktf records a complete stack trace (Error.stackTraceLimit raised to the maximum) for every token
 * it creates, only to print it should the token never resolve; capturing and formatting those
 * traces was about a tenth of synth CPU. cdktf calls the function through its module's exports, so
 * replacing the export turns the capture off. A token that fails to resolve is still reported, by
 * its path in the stack, without the trace of where it was made.
 */
function skipTokenCreationTraces(): void {
  (cdktfStackTrace as { captureStackTrace: () => string[] }).captureStackTrace = () => NO_TRACE;
}

interface TokenMaps {
  stringTokenMap: Map<string, unknown>;
  numberTokenMap: Map<number, unknown>;
}

/**
 * cdktf's token map is one per process and never forgets a token, and each token holds its resource
 * and with it the whole construct tree: without this, every stack ever built in a process stays in
 * memory, and 1,500 stacks per worker meant most of the peak memory and a rising share of garbage
 * collection. Call before a batch of stacks is built, and `forget()` once the batch is written: every
 * token the batch registered is dropped. Tokens registered before (by module code) are kept.
 */
export function tokensOfBatch(): { forget(): void } {
  const maps = TokenMap.instance() as unknown as TokenMaps;
  const before = [maps.stringTokenMap.size, maps.numberTokenMap.size];
  return {
    forget() {
      [maps.stringTokenMap, maps.numberTokenMap].forEach((map: Map<unknown, unknown>, i) => {
        // Maps keep insertion order: the batch's tokens are the entries after the first `before[i]`.
        let kept = 0;
        for (const key of [...map.keys()]) if (kept++ >= before[i]) map.delete(key);
      });
    },
  };
}

/** What cdktf's own resolve does with a value; the fast path hands it every value it cannot copy. */
type Resolve = (obj: unknown, options: ResolveOptions) => unknown;

let cdktfResolve: Resolve | undefined;

/**
 * cdktf resolves a stack by walking every value of every resource, even the plain strings and
 * numbers that make up most of it, at a cost of two context objects and four regular expressions per
 * key; it walks the stack's assembled, already resolved JSON a second time the same way. That was
 * two fifths of synth CPU. Here a value with no token in it (no token marker in a string or a key,
 * no encoded number, no resolvable object) is copied as cdktf would return it: the same value, with
 * `undefined` dropped from objects and arrays. Anything else goes to cdktf's resolve unchanged, in
 * the place it was found, so tokens resolve exactly as before.
 */
function resolvePlainValuesDirectly(): void {
  if (cdktfResolve) return;
  const original = Tokenization.resolve.bind(Tokenization) as Resolve;
  cdktfResolve = original;
  Tokenization.resolve = (obj: unknown, options: ResolveOptions) =>
    copyPlain(obj, (x) => original(x, options), 0);
}

/** cdktf's test for a number token written into a string (tokens/private/encoding.ts). */
const NUMBER_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;

function mayHoldToken(s: string): boolean {
  return (
    s.includes("TfToken[") ||
    NUMBER_IN_STRING.test(s) ||
    s === Token.STRING_MAP_TOKEN_VALUE ||
    s === Token.ANY_MAP_TOKEN_VALUE
  );
}

const isTokenNumber = (n: number) => Token.isUnresolved(n) || n === Token.NUMBER_MAP_TOKEN_VALUE;

/** cdktf refuses values nested deeper (a cycle); past it, its resolve reports the error. */
const MAX_DEPTH = 200;

function copyPlain(x: unknown, slow: (x: unknown) => unknown, depth: number): unknown {
  switch (typeof x) {
    case "undefined":
    case "boolean":
      return x;
    case "string":
      return mayHoldToken(x) ? slow(x) : x;
    case "number":
      return isTokenNumber(x) ? slow(x) : x;
    case "object": {
      if (x === null) return null;
      if (depth > MAX_DEPTH) return slow(x);
      if (Array.isArray(x)) {
        // A list token stands for the whole list: cdktf resolves such a list as one.
        const listToken = x.some(
          (e) =>
            (typeof e === "string" && e.includes("TfToken[")) ||
            (typeof e === "number" && isTokenNumber(e)),
        );
        if (listToken) return slow(x);
        const out: unknown[] = [];
        for (const e of x) {
          const v = copyPlain(e, slow, depth + 1);
          if (v !== undefined) out.push(v);
        }
        return out;
      }
      const proto = Object.getPrototypeOf(x);
      // Tokens, constructs, dates and any other class: cdktf decides.
      if (proto !== Object.prototype && proto !== null) return slow(x);
      if (Tokenization.isResolvable(x)) return slow(x);
      const keys = Object.keys(x);
      if (keys.some(mayHoldToken)) return slow(x);
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const v = copyPlain((x as Record<string, unknown>)[key], slow, depth + 1);
        if (v !== undefined) out[key] = v;
      }
      return out;
    }
    default:
      return slow(x);
  }
}

/** cdktf's own resolve, for tests that compare the fast path with it. */
export function cdktfOwnResolve(): Resolve {
  return cdktfResolve ?? (Tokenization.resolve.bind(Tokenization) as Resolve);
}
