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

export interface MemoryBinding {
  memory: {
    allocAlignedSegments(total: number, segment: number, maxLength: number): ArrayBuffer[];
    addressOf(buffer: ArrayBuffer | ArrayBufferView): bigint;
    madvise(address: bigint, length: number, advice: string): Promise<void>;
    residency(address: bigint, length: number, pid: number, method: 'pagemap-scan' | 'pagemap'): Promise<NativeUnitResidency[]>;
    collapse(address: bigint, length: number, pid: number): Promise<NativeUnitCollapse[]>;
    geometry(): { basePageSize: number; hugePageSize: number; pagemapScan: boolean };
  };
}
