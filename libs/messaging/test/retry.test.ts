import { describe, expect, it } from 'vitest';
import { errors as natsErrors } from '@nats-io/nats-core';
import { isTransient, retryTransient } from '../src/retry.js';

describe('retryTransient', () => {
  it('retries timeouts and no-responders (also when wrapped), up to the bound', async () => {
    const wrapped = new Error('jetstream is not enabled', {
      cause: new natsErrors.RequestError('x', { cause: new natsErrors.NoRespondersError('s') }),
    });
    expect(isTransient(new natsErrors.TimeoutError())).toBe(true);
    expect(isTransient(wrapped)).toBe(true);
    let calls = 0;
    const result = await retryTransient(
      async () => {
        calls += 1;
        if (calls < 3) throw new natsErrors.TimeoutError();
        return 'ok';
      },
      { attempts: 5, firstDelayMs: 1 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      retryTransient(
        async () => {
          calls += 1;
          throw wrapped;
        },
        { attempts: 4, firstDelayMs: 1 },
      ),
    ).rejects.toBe(wrapped);
    expect(calls).toBe(4);
  });

  it('does not retry other failures', async () => {
    let calls = 0;
    const refusal = new Error('stream name already in use');
    expect(isTransient(refusal)).toBe(false);
    await expect(
      retryTransient(
        async () => {
          calls += 1;
          throw refusal;
        },
        { attempts: 5, firstDelayMs: 1 },
      ),
    ).rejects.toBe(refusal);
    expect(calls).toBe(1);
  });
});
