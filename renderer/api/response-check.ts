// A fast first look at the host's answers, built once per contract schema from zod's own
// definition of it (so it cannot drift from the contract), for the window's defence-in-depth
// check of what the host sends.
//
// Why: the window runs zod "jitless" (its CSP forbids eval, so zod cannot compile itself), and
// then zod validates 10,000 image rows in 70-80 ms, the largest part of drawing the image list. A
// tree of closures answering only "is this exactly what zod would give back?" does the same in a
// few milliseconds: no copies, no issue objects.
//
// It may answer `false` without the value being invalid ("not sure"); the client then asks zod,
// which decides and says why. It answers `true` only when zod would accept the value and give back
// a value deep-equal to it: so it refuses, for zod to strip, any key the contract does not name
// or any "__proto__" key. A schema using anything not handled here (unions, defaults, transforms,
// refinements, formats other than plain patterns) gets no fast check at all: zod alone decides.
import { z } from 'zod';

export type FastCheck = (value: unknown) => boolean;

/** The parts of zod's internal definitions read here; anything else makes the schema unsupported. */
interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  check?: string;
  format?: string;
  pattern?: RegExp;
  coerce?: boolean;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  innerType?: Schema;
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  mode?: string;
  entries?: Record<string, unknown>;
  values?: unknown[];
}

interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
  when?: unknown;
}

interface Schema {
  _zod: { def: Def };
}

class Unsupported extends Error {}

const compiled = new WeakMap<object, FastCheck | null>();

/** The fast check for a schema, or null when zod must decide every time. */
export function fastCheckOf(schema: z.ZodType): FastCheck | null {
  let check = compiled.get(schema);
  if (check === undefined) {
    try {
      check = compile(schema as unknown as Schema);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      check = null;
    }
    compiled.set(schema, check);
  }
  return check;
}

function compile(schema: Schema): FastCheck {
  const def = schema._zod.def;
  if (def.coerce) throw new Unsupported();
  switch (def.type) {
    case 'string':
      return stringCheck(def);
    case 'number': {
      const checks = all((def.checks ?? []).map((check) => numberCheck(check._zod.def)));
      return (value) => typeof value === 'number' && Number.isFinite(value) && checks(value);
    }
    case 'boolean':
      noChecks(def);
      return (value) => typeof value === 'boolean';
    case 'null':
      return (value) => value === null;
    case 'unknown':
    case 'any':
      return () => true;
    case 'literal': {
      const values = new Set(def.values ?? []);
      return (value) => values.has(value);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (value) => values.has(value);
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      return (value) => value === null || inner(value);
    }
    case 'array':
      return arrayCheck(def);
    case 'record':
      return recordCheck(def);
    case 'object':
      return objectCheck(def);
    default:
      // optional only makes sense as an object's property (handled there); everything else
      // (unions, defaults, pipes, transforms, ...) is zod's to decide.
      throw new Unsupported();
  }
}

function noChecks(def: Def): void {
  if ((def.checks ?? []).length > 0) throw new Unsupported();
}

/**
 * zod gives every length check a default condition ("only on a value with a length", always true
 * for the strings and arrays it is applied to here); it is one shared function, found by making a
 * check. Any other condition is zod's to evaluate.
 */
const defaultLengthWhen = (z.string().max(1)._zod.def.checks?.[0]?._zod.def as { when?: unknown } | undefined)?.when;

function lengthCheck(def: CheckDef): (length: number) => boolean {
  if (def.when !== undefined && def.when !== defaultLengthWhen) throw new Unsupported();
  switch (def.check) {
    case 'min_length':
      return (length) => length >= def.minimum!;
    case 'max_length':
      return (length) => length <= def.maximum!;
    case 'length_equals':
      return (length) => length === def.length!;
    default:
      throw new Unsupported();
  }
}

/** Plain-pattern formats only: these are all zod checks for them (others add code of their own). */
const PATTERN_FORMATS = new Set(['regex', 'datetime', 'date', 'time']);

function patternCheck(def: { format?: string; pattern?: RegExp }): (value: string) => boolean {
  const pattern = def.pattern;
  if (!pattern || !PATTERN_FORMATS.has(def.format ?? '')) throw new Unsupported();
  return (value) => {
    pattern.lastIndex = 0;
    return pattern.test(value);
  };
}

function stringCheck(def: Def): FastCheck {
  const checks: Array<(value: string) => boolean> = [];
  // A format schema (z.iso.datetime()) is its own check.
  if (def.check !== undefined) {
    if (def.check !== 'string_format') throw new Unsupported();
    checks.push(patternCheck(def));
  }
  for (const { _zod } of def.checks ?? []) {
    const check = _zod.def;
    if (check.check === 'string_format') {
      if (check.when !== undefined) throw new Unsupported();
      checks.push(patternCheck(check));
    } else {
      const length = lengthCheck(check);
      checks.push((value) => length(value.length));
    }
  }
  const every = all(checks);
  return (value) => typeof value === 'string' && every(value);
}

/** The checks as one function, without a loop for the usual none, one or two. */
function all<T>(checks: Array<(value: T) => boolean>): (value: T) => boolean {
  const [first, second] = checks;
  if (first === undefined) return () => true;
  if (second === undefined) return first;
  if (checks.length === 2) return (value) => first(value) && second(value);
  return (value) => {
    for (const check of checks) if (!check(value)) return false;
    return true;
  };
}

function numberCheck(def: CheckDef): (value: number) => boolean {
  if (def.when !== undefined) throw new Unsupported();
  switch (def.check) {
    case 'greater_than':
      return def.inclusive ? (value) => value >= def.value! : (value) => value > def.value!;
    case 'less_than':
      return def.inclusive ? (value) => value <= def.value! : (value) => value < def.value!;
    case 'number_format':
      if (def.format === 'safeint') return (value) => Number.isSafeInteger(value);
      throw new Unsupported();
    default:
      throw new Unsupported();
  }
}

function arrayCheck(def: Def): FastCheck {
  const element = compile(def.element!);
  const lengths = all((def.checks ?? []).map((check) => lengthCheck(check._zod.def)));
  return (value) => {
    if (!Array.isArray(value) || !lengths(value.length)) return false;
    for (let i = 0; i < value.length; i += 1) if (!element(value[i])) return false;
    return true;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function recordCheck(def: Def): FastCheck {
  noChecks(def);
  const keyDef = def.keyType!._zod.def;
  // An enumerated key type makes zod check which keys are present: zod's to decide.
  if (keyDef.type !== 'string' || def.mode !== undefined && def.mode !== 'strict') throw new Unsupported();
  const key = compile(def.keyType!);
  const item = compile(def.valueType!);
  return (value) => {
    if (!isPlainObject(value)) return false;
    for (const name in value) {
      if (!Object.hasOwn(value, name) || name === '__proto__') return false;
      if (!key(name) || !item(value[name])) return false;
    }
    return true;
  };
}

function objectCheck(def: Def): FastCheck {
  noChecks(def);
  if (def.catchall !== undefined) throw new Unsupported();
  const shape = def.shape ?? {};
  const properties = Object.entries(shape).map(([name, schema]) => {
    const propertyDef = schema._zod.def;
    if (propertyDef.type === 'optional') {
      noChecks(propertyDef);
      const inner = compile(propertyDef.innerType!);
      return { name, optional: true, check: inner };
    }
    return { name, optional: false, check: compile(schema) };
  });
  if (Object.hasOwn(shape, '__proto__')) throw new Unsupported();
  return (value) => {
    if (!isPlainObject(value)) return false;
    let present = 0;
    for (const { name, optional, check } of properties) {
      if (!Object.hasOwn(value, name)) {
        if (optional) continue;
        return false;
      }
      if (!check(value[name])) return false;
      present += 1;
    }
    // More keys than the contract's present ones (a key it does not name, an own "__proto__", an
    // enumerable inherited one): zod would strip them, so the answer would not be the same value.
    let keys = 0;
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    for (const _ in value) keys += 1;
    return keys === present;
  };
}
