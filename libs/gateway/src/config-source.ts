/**
 * The channel config in force, as the own peer has committed it (state `config`/`channel`). The
 * same object is kept while its version does not change, because identity resolution caches its
 * certificate checks per config object.
 */
import type { ChannelConfig } from '@civic/identity';
import { CONFIG_KEY, CONFIG_NAMESPACE } from '@civic/protocol';
import { ConfigUnavailableError } from './errors.js';
import type { StateSource } from './recording-context.js';

export interface ConfigSource {
  /** The config in force (cached; refreshed at most every `refreshMs`). */
  current(): Promise<ChannelConfig>;
  /** Forget the cached config: the next `current()` reads it again (after a policy failure). */
  invalidate(): void;
}

/** How long a read config is trusted before asking the peer again. */
export const CONFIG_REFRESH_MS = 5_000;

export class PeerConfigSource implements ConfigSource {
  #config: ChannelConfig | null = null;
  #version: string | null = null;
  #readAtMs = -Infinity;

  constructor(
    private readonly source: StateSource,
    private readonly clock: () => number,
    private readonly refreshMs: number = CONFIG_REFRESH_MS,
  ) {}

  async current(): Promise<ChannelConfig> {
    const now = this.clock();
    if (this.#config !== null && now - this.#readAtMs < this.refreshMs) return this.#config;
    const entry = await this.source.getState(CONFIG_NAMESPACE, CONFIG_KEY);
    if (entry === null) {
      throw new ConfigUnavailableError('the peer has no channel config yet (genesis block not committed)');
    }
    const value = entry.value as ChannelConfig | null;
    if (value === null || typeof value !== 'object' || !Array.isArray(value.organizations)) {
      throw new ConfigUnavailableError(
        `the peer's channel config (version ${entry.version}) is not a config object`,
      );
    }
    if (entry.version !== this.#version || this.#config === null) {
      this.#config = value;
      this.#version = entry.version;
    }
    this.#readAtMs = now;
    return this.#config;
  }

  invalidate(): void {
    this.#readAtMs = -Infinity;
  }
}

/** A fixed config (tests, tools that read it from a file). */
export function staticConfigSource(config: ChannelConfig): ConfigSource {
  return { current: async () => config, invalidate: () => undefined };
}
