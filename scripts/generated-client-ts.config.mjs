// @hey-api/openapi-ts's settings for the CSSD API (scripts/generated-client-ts.sh): the fetch
// client, the types, zod schemas and an SDK that validates every request and response with
// them. Input, output and the tsconfig of the project the client is compiled in (its module
// settings decide the imports' `.js` extensions) come from the environment.
//
// One choice an integrator makes: ids and counts are `integer`/`int64` in the spec, which
// the zod plugin reads as `z.coerce.bigint()` while the types say `number` (a BigInt then
// fails `JSON.stringify` when sent back). The server's ids fit in 2^53, so they are read
// as safe integers (`z.int()`) through the plugin's number resolver.
const safeIntegers = (ctx) => {
  if (ctx.schema.format !== 'int64' && ctx.schema.format !== 'uint64') return undefined;
  ctx.utils.shouldCoerceToBigInt = () => false;
  ctx.utils.maybeBigInt = (value) => ctx.$.fromValue(typeof value === 'string' ? Number(value) : value);
  ctx.utils.getIntegerLimit = () => undefined;
  return undefined;
};

// And one gap of the plugin: it reads a `format: binary` string (the CSV import's body, a PDF)
// as `z.string()` while the types say `Blob | File`, so it would refuse every file; a binary
// body is a Blob.
const binaryAsBlob = (ctx) =>
  ctx.schema.format === 'binary' ? ctx.$(ctx.symbols.z).attr('instanceof').call(ctx.$('Blob')) : undefined;

export default {
  input: process.env.GC_TS_INPUT,
  output: { path: process.env.GC_TS_OUTPUT, tsConfigPath: process.env.GC_TS_TSCONFIG },
  plugins: [
    '@hey-api/client-fetch',
    '@hey-api/typescript',
    { name: 'zod', '~resolvers': { number: safeIntegers, string: binaryAsBlob } },
    { name: '@hey-api/sdk', validator: true },
  ],
};
