import { describe, expect, it } from 'vitest';
import { parkingUserName, parkOps } from './rename-coordinator.js';

describe('parkingUserName', () => {
  it('keeps the domain and adds a short id to the local part', () => {
    expect(parkingUserName('ada@example.com', '07939cf3-ff25-4870')).toBe('ada+dirsync-07939cf3@example.com');
  });

  it('is stable: a parked name parks on itself', () => {
    const parked = parkingUserName('ada@example.com', 'abc123');
    expect(parkingUserName(parked, 'abc123')).toBe(parked);
    expect(parkOps({ userName: parked }, 'abc123')).toEqual([]);
    expect(parkOps({ userName: 'ada@example.com' }, 'abc123')).toEqual([
      { op: 'replace', path: 'userName', value: parked },
    ]);
  });
});
