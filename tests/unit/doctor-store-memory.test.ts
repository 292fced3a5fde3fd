import { describe, expect, it } from 'vitest';
import { checkStore } from '../../src/core/doctor/store.js';

describe('algo doctor on the memory store', () => {
  it('warns that memory: keeps nothing after the process, and names the lasting store', async () => {
    const [check] = await checkStore('memory:');
    expect(check).toMatchObject({ name: 'store', status: 'warn' });
    expect(JSON.stringify(check)).toMatch(/gone when it exits.*sqlite:PATH/);
  });

  it('an unknown store names every store algo knows', async () => {
    expect(JSON.stringify(await checkStore('redis://x'))).toMatch(/sqlite:PATH, mongodb:\/\/\.\.\. or memory:/);
  });
});
