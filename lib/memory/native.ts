// The addon's real-memory operations (native/addon/memory_ops.cc), Linux builds only.
export interface NativeUnitResidency {
  address: bigint;
  residentPages: number;
  pmdMapped: boolean | null;
  units: number;
}

export interface NativeUnitCollapse {
  address: bigint;
  outcome: 'collapsed' | 'already-huge' | 'not-mapped' | 'EAGAIN' | 'ENOMEM' | 'EBUSY' | 'EINVAL' | 'failed';
  errno: string | null;
  residentPagesBefore: number;
  elapsedMs: number;
  units: number;
}

/** The advisor's calibration probe (native/platform/linux/memory/translation_probe.h). */
export interface NativeTranslationProbe {
  /** Per buffer size: CPU ns per access of each round's slice, dense on 4 KiB pages, dense on 2 MiB pages, sparse on 4 KiB pages. */
  sizes: { bytes: number; ns4k: number[]; ns2m: number[]; nsSparse: number[] }[];
  setupMs: number;
  measureMs: number;
  /** 2 MiB units of the huge buffer one PMD maps, of `units`. */
  hugeUnits: number;
  units: number;
  sliceAccesses: number;
  threadCpuClock: boolean;
  /** Bytes between the sparse layout's pages. */
  sparseStride: number;
}

export interface MemoryBinding {
  memory: {
    allocAlignedSegments(total: number, segment: number, maxLength: number): ArrayBuffer[];
    addressOf(buffer: ArrayBuffer | ArrayBufferView): bigint;
    madvise(address: bigint, length: number, advice: string): Promise<void>;
    residency(address: bigint, length: number, pid: number, method: 'pagemap-scan' | 'pagemap'): Promise<NativeUnitResidency[]>;
    collapse(address: bigint, length: number, pid: number): Promise<NativeUnitCollapse[]>;
    geometry(): { basePageSize: number; hugePageSize: number; pagemapScan: boolean };
    translationProbe(minBytes: number, maxBytes: number, budgetMs: number, sliceAccesses: number): Promise<NativeTranslationProbe>;
  };
}
