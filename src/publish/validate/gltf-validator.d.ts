// Types of the parts of the Khronos glTF Validator (npm `gltf-validator`, compiled from Dart) that Vitrine
// uses; the package ships none. See its README and ISSUES.md for the full report format.
declare module 'gltf-validator' {
  /** One issue of a report. Severity: 0 error, 1 warning, 2 information, 3 hint. */
  export interface ValidatorMessage {
    code: string;
    message: string;
    severity: 0 | 1 | 2 | 3;
    pointer?: string;
    offset?: number;
  }
  export interface ValidatorReport {
    issues: {
      numErrors: number;
      numWarnings: number;
      numInfos: number;
      numHints: number;
      messages: ValidatorMessage[];
      truncated: boolean;
    };
    info?: Record<string, unknown>;
  }
  export interface ValidatorOptions {
    uri?: string;
    format?: 'glb' | 'gltf';
    maxIssues?: number;
    ignoredIssues?: string[];
    severityOverrides?: Record<string, 0 | 1 | 2 | 3>;
    writeTimestamp?: boolean;
    externalResourceFunction?: (uri: string) => Promise<Uint8Array>;
  }
  export function validateBytes(data: Uint8Array, options?: ValidatorOptions): Promise<ValidatorReport>;
  export function version(): string;
}
