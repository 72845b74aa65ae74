// picomatch 2 ships no types; this declares the one call edgelock uses.
declare module 'picomatch' {
  interface PicomatchOptions {
    dot?: boolean;
  }
  function picomatch(glob: string | readonly string[], options?: PicomatchOptions): (input: string) => boolean;
  export = picomatch;
}
