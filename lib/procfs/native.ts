// The addon's /proc readers (native/addon/procfs.cc). Readers take a pid (0 = this process)
// and resolve off the JS thread; parsers take the text of the file.
export interface NativeVma {
  start: bigint;
  end: bigint;
  perms: string;
  offset: bigint;
  dev: string;
  inode: bigint;
  pathname: string;
}

export interface ProcfsBinding {
  procfs: {
    parseMaps(text: string): NativeVma[];
    readMaps(pid: number): Promise<NativeVma[]>;
  };
}
