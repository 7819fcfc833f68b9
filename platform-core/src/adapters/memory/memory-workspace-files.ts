import type { WorkspaceFiles } from '../../ports/workspace-files.js';

/** Workspace files held in memory: for tests and for editors' virtual workspaces. */
export class MemoryWorkspaceFiles implements WorkspaceFiles {
  private readonly files: Map<string, string>;

  constructor(files: Record<string, string> | Map<string, string> = {}) {
    this.files = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
  }

  async list(): Promise<string[]> {
    return [...this.files.keys()].sort();
  }

  async read(path: string): Promise<string | undefined> {
    return this.files.get(path);
  }

  async size(path: string): Promise<number | undefined> {
    const text = this.files.get(path);
    return text === undefined ? undefined : Buffer.byteLength(text);
  }

  set(path: string, text: string | undefined): void {
    if (text === undefined) this.files.delete(path);
    else this.files.set(path, text);
  }
}
