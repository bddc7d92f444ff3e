// Types that turn the server's API object into typed client calls, with no code generation:
// `createClient<typeof api>()` and `client.call('todos/add', 'milk')` is checked end to end.

type Handler = (ctx: never, ...args: never[]) => unknown;

/** What `stream()` and `channel()` declarations look like at the type level. */
interface StreamDeclaration {
  readonly __wirestoreStream: true;
}

/** Every callable path of an API object: nested objects become `a/b/c`. */
export type ApiPath<Api, Prefix extends string = ''> = {
  [K in keyof Api & string]: Api[K] extends Handler
    ? `${Prefix}${K}`
    : Api[K] extends StreamDeclaration
      ? never
      : Api[K] extends object
        ? ApiPath<Api[K], `${Prefix}${K}/`>
        : never;
}[keyof Api & string];

/** Every stream path of an API object. */
export type ApiStreamPath<Api, Prefix extends string = ''> = {
  [K in keyof Api & string]: Api[K] extends StreamDeclaration
    ? `${Prefix}${K}`
    : Api[K] extends Handler
      ? never
      : Api[K] extends object
        ? ApiStreamPath<Api[K], `${Prefix}${K}/`>
        : never;
}[keyof Api & string];

/** The handler at `Path`. */
export type ApiHandler<Api, Path extends string> = Path extends `${infer Head}/${infer Rest}`
  ? Head extends keyof Api
    ? ApiHandler<Api[Head], Rest>
    : never
  : Path extends keyof Api
    ? Api[Path]
    : never;

type IsUntyped<Api> = unknown extends Api ? true : false;

/** Paths a client may call: any string when the client is untyped. */
export type CallPath<Api> = IsUntyped<Api> extends true ? string : ApiPath<Api>;

/** The arguments after `ctx` of the handler at `Path`. */
export type CallArgs<Api, Path extends string> =
  IsUntyped<Api> extends true ? unknown[] : ApiHandler<Api, Path> extends (ctx: never, ...args: infer Args) => unknown ? Args : never;

/** What a call to `Path` resolves with. */
export type CallResult<Api, Path extends string> =
  IsUntyped<Api> extends true ? unknown : ApiHandler<Api, Path> extends (...args: never[]) => infer Result ? Awaited<Result> : never;

/** Stream paths a client may open: any string when the client is untyped. */
export type StreamPath<Api> = IsUntyped<Api> extends true ? string : ApiStreamPath<Api>;

/** The arguments of the stream at `Path` (those of its topic function and loader). */
export type StreamArgs<Api, Path extends string> =
  IsUntyped<Api> extends true
    ? unknown[]
    : ApiHandler<Api, Path> extends { readonly __args?: infer Args }
      ? Args extends unknown[]
        ? Args
        : []
      : [];

/** The value of the stream at `Path`: what its loader returns (the `data` of a page). */
export type StreamValue<Api, Path extends string> =
  IsUntyped<Api> extends true ? unknown : ApiHandler<Api, Path> extends { readonly __data?: infer Data } ? Data : unknown;

/** Whether the client was created without an API type. @internal */
export type Untyped<Api> = IsUntyped<Api>;
