/** Drives test/interop/flask_oracle.py: real Flask answering JSON lines. Test helper. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FlaskConfig, Typed } from '../_typed.ts';

export type { FlaskConfig } from '../_typed.ts';

export interface DumpAnswer {
  setCookie?: string[];
  warning?: string | null;
  error?: string;
}
export interface LoadAnswer {
  outcome: 'data' | 'empty' | 'error';
  data: Typed | null;
  error: string | null;
}

const script = fileURLToPath(new URL('flask_oracle.py', import.meta.url));

export class FlaskOracle {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, (v: Record<string, unknown>) => void>();
  private nextId = 1;
  private stderr = '';

  constructor(python: string) {
    this.proc = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d) => (this.stderr += d));
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      const res = JSON.parse(line) as Record<string, unknown>;
      const resolve = this.pending.get(res.id as number);
      this.pending.delete(res.id as number);
      resolve?.(res);
    });
  }

  private call(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Flask oracle timed out; stderr: ${this.stderr}`)),
        30000,
      );
      this.pending.set(id, (v) => {
        clearTimeout(timer);
        if (typeof v.oracleError === 'string') reject(new Error(`Flask oracle: ${v.oracleError}`));
        else resolve(v);
      });
      this.proc.stdin.write(JSON.stringify({ ...req, id }) + '\n');
    });
  }

  version(): Promise<Record<string, string>> {
    return this.call({ op: 'version' }) as Promise<Record<string, string>>;
  }
  dump(
    config: FlaskConfig,
    now: number,
    data: Typed,
    permanent: boolean | null,
  ): Promise<DumpAnswer> {
    return this.call({ op: 'dump', config, now, data, permanent }) as Promise<DumpAnswer>;
  }
  load(config: FlaskConfig, now: number, cookieHeader: string): Promise<LoadAnswer> {
    return this.call({ op: 'load', config, now, cookieHeader }) as unknown as Promise<LoadAnswer>;
  }
  refresh(
    config: FlaskConfig,
    now: number,
    cookieHeader: string,
  ): Promise<{ setCookie: string[] }> {
    return this.call({ op: 'refresh', config, now, cookieHeader }) as unknown as Promise<{
      setCookie: string[];
    }>;
  }
  close(): void {
    this.proc.stdin.end();
    this.proc.kill();
  }
}
