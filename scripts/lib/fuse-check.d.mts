export declare const FUSE_INDEX: Record<string, number>;
export type FuseSetting = 'on' | 'off';
export interface FuseRow {
  fuse: string;
  expected: FuseSetting;
  actual: string;
  ok: boolean;
}
export declare function expectedFuses(builderConfig: { electronFuses?: Record<string, boolean> } | null | undefined, overrides?: Record<string, boolean>): Record<string, FuseSetting>;
export declare function compareFuses(expected: Record<string, FuseSetting>, wire: Record<string, unknown>): FuseRow[];
