// unbzip2-stream's block decoder and bit reader (CommonJS, no types); archive/decompress.ts says what it calls.
declare module 'unbzip2-stream/lib/bzip2.js' {
  const bzip2: unknown;
  export default bzip2;
}
declare module 'unbzip2-stream/lib/bit_iterator.js' {
  const bitIterator: unknown;
  export default bitIterator;
}
