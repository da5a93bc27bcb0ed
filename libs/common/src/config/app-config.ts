import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';

/** Everything the platform reads from its environment, validated once at start-up. */
export interface AppConfig {
  port: number;
  nodeEnv: string;
  /** null → embedded PGlite in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  redisUrl: string | null;
  jwtSecret: string;
  adminEmail: string | null;
  adminPassword: string | null;
  /** Empty → same origin only. */
  corsOrigins: string[];
  logLevel: string;
  /** A query running longer is cancelled and answered 503, so one slow statement cannot hold the pool. */
  statementTimeoutMs: number;
  /** Serve the built web client from this folder when it exists. */
  webRoot: string | null;
  /** Proxies whose X-Forwarded-For is believed (the HTTP server's `trustProxy`): rate limits count real clients. */
  trustProxy: string[];
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Every environment variable the platform reads (the configuration table in README.md). */
export const CONFIG_VARIABLES = [
  'PORT',
  'NODE_ENV',
  'DATABASE_URL',
  'DATA_DIR',
  'REDIS_URL',
  'JWT_SECRET',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'CORS_ORIGINS',
  'LOG_LEVEL',
  'DB_STATEMENT_TIMEOUT_MS',
  'WEB_ROOT',
  'TRUST_PROXY',
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function readUrl(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.join(' or ')}`);
  }
  return raw;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function readTrustProxy(env: Env): string[] {
  const raw = env.TRUST_PROXY;
  if (raw === undefined || raw.trim() === '') return ['loopback'];
  return raw.split(',').map((part) => {
    const entry = part.trim();
    const [address, mask, extra] = entry.split('/');
    const validMask = mask === undefined || (/^\d{1,3}$/.test(mask) && Number(mask) <= 128);
    if (PROXY_NAMES.includes(entry) || (extra === undefined && isIP(address) && validMask))
      return entry;
    throw new ConfigError(
      'TRUST_PROXY',
      `contains "${entry}": use loopback, linklocal, uniquelocal, an IP address or a CIDR range`,
    );
  });
}

function readOrigins(env: Env): string[] {
  const raw = env.CORS_ORIGINS;
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((origin) => {
    const trimmed = origin.trim();
    try {
      const url = new URL(trimmed);
      if (!['http:', 'https:'].includes(url.protocol)) throw new Error();
      return url.origin;
    } catch {
      throw new ConfigError('CORS_ORIGINS', `contains an invalid origin "${trimmed}"`);
    }
  });
}

/** A generated secret survives restarts so that issued tokens stay valid. */
function generatedSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const rawDataDir = env.DATA_DIR || './data';
  // `memory://` is PGlite's throwaway database: nothing of it may land on disk.
  const inMemory = rawDataDir.startsWith('memory://');
  const dataDir = inMemory ? rawDataDir : resolve(rawDataDir);
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const adminEmail = env.ADMIN_EMAIL || null;
  const adminPassword = env.ADMIN_PASSWORD || null;
  if ((adminEmail === null) !== (adminPassword === null)) {
    throw new ConfigError(adminEmail ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL', 'must be set together');
  }
  if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    throw new ConfigError('ADMIN_EMAIL', 'is not an e-mail address');
  }
  if (adminPassword && adminPassword.length < 10) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 10 characters');
  }
  let jwtSecret = env.JWT_SECRET || null;
  if (jwtSecret !== null && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  }
  if (jwtSecret === null) {
    if (nodeEnv === 'production') {
      throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
    }
    jwtSecret = inMemory ? randomBytes(48).toString('base64url') : generatedSecret(dataDir);
  }
  return {
    port: readInt(env, 'PORT', 3000, 0, 65535),
    nodeEnv,
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir,
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    jwtSecret,
    adminEmail,
    adminPassword,
    corsOrigins: readOrigins(env),
    logLevel,
    statementTimeoutMs: readInt(env, 'DB_STATEMENT_TIMEOUT_MS', 5000, 100, 600000),
    webRoot: env.WEB_ROOT || null,
    trustProxy: readTrustProxy(env),
  };
}

/**
 * The start of every Redis key and channel of one deployment. Instances on the same database
 * form one cluster; the database's name keeps separate deployments (and parallel test runs)
 * that share one Redis apart.
 */
export function redisPrefix(config: Pick<AppConfig, 'databaseUrl'>): string {
  const database = config.databaseUrl ? new URL(config.databaseUrl).pathname.slice(1) : 'embedded';
  return `edp:${decodeURIComponent(database) || 'postgres'}`;
}
