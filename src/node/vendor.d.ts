// unbzip2-stream ships no types: a function returning a Node duplex (through) stream.
declare module 'unbzip2-stream' {
  import type { Transform } from 'node:stream';
  const unbzip2: () => Transform;
  export default unbzip2;
}
