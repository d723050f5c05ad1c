import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeLocalPort } from './freeLocalPort';

/** Where the Debian package `prometheus` installs its binaries. */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';
export const PROMTOOL_BINARY = '/usr/bin/promtool';

const READY_TIMEOUT_MILLIS = 20_000;
const STOP_TIMEOUT_MILLIS = 5_000;
/** How much of Prometheus' output an error quotes. */
const OUTPUT_TAIL_LENGTH = 4_000;

/** A Prometheus server started for a test; `stop` kills it and deletes its data. */
export type RunningPrometheus = {
  baseUrl: string;
  stop(): Promise<void>;
};

/**
 * Starts a real Prometheus on a free loopback port, with `openMetrics`
 * (an OpenMetrics text ending in `# EOF`, samples with timestamps)
 * backfilled into a fresh TSDB by promtool. It scrapes nothing, so the
 * backfilled samples are all it knows, and the retention is long enough to
 * keep samples of any past date.
 */
export async function startPrometheus(options: {
  openMetrics: string;
}): Promise<RunningPrometheus> {
  const workDir = await mkdtemp(join(tmpdir(), 'sla-prometheus-'));
  const dataDir = join(workDir, 'data');
  const openMetricsFile = join(workDir, 'backfill.om.txt');
  const configFile = join(workDir, 'prometheus.yml');
  await writeFile(openMetricsFile, options.openMetrics);
  await writeFile(configFile, 'global:\n  scrape_interval: 1h\n');

  try {
    await promisify(execFile)(PROMTOOL_BINARY, [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      openMetricsFile,
      dataDir,
    ]);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw new Error(`promtool could not backfill the test data: ${error}`);
  }

  const port = await freeLocalPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keepOutput = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_LENGTH);
  };
  child.stdout?.on('data', keepOutput);
  child.stderr?.on('data', keepOutput);

  const stop = async () => {
    await stopProcess(child);
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(baseUrl, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

async function waitUntilReady(
  baseUrl: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = `exited with ${signal ?? `code ${code}`}`;
  });
  child.once('error', error => {
    exit = `could not be started: ${error.message}`;
  });
  const deadline = Date.now() + READY_TIMEOUT_MILLIS;
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(`Prometheus ${exit}; output:\n${output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/-/ready`, {
        signal: AbortSignal.timeout(1_000),
      });
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(
    `Prometheus was not ready within ${READY_TIMEOUT_MILLIS} ms; output:\n${output()}`,
  );
}

/** Asks the process to stop, and kills it if it does not within a few seconds. */
async function stopProcess(child: ChildProcess): Promise<void> {
  const neverStarted = child.pid === undefined;
  if (neverStarted || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MILLIS);
  await exited;
  clearTimeout(timer);
}
