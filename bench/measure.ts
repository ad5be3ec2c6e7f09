/** Measuring in a child process, so each case's peak RSS is its own. */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** What one measured case reports. */
export interface CaseResult {
  durationMs: number;
  maxRssBytes: number;
  [figure: string]: number;
}

/** Runs `script case …args` under tsx in a fresh process and returns the JSON it prints last. */
export async function measureInChild(script: string, args: string[], env: Record<string, string> = {}): Promise<CaseResult> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`${script} ${args.join(' ')} exited with code ${code}`));
      else resolve(JSON.parse(last) as CaseResult);
    });
  });
}

/** Reports the end of a case from inside the child: its figures plus the process's peak RSS. */
export function reportCase(figures: Omit<CaseResult, 'maxRssBytes'>): void {
  process.stdout.write(`${JSON.stringify({ ...figures, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}

/** A memory figure of a running process from /proc/<pid>/status (VmHWM: peak since start or reset; VmRSS: now), in bytes; 0 once it is gone. */
export async function procMemory(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0) * 1024;
}

/** Megabytes (10^6) with one decimal. */
export function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
