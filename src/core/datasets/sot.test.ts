import { describe, expect, it } from 'vitest';
import { formatIssue } from './issues.ts';
import { parseFrameFlags, parseSotBoxes, parseVotRegions, sotVisibility, writeSotBoxes, writeVotRegions } from './sot.ts';

describe('SOT files', () => {
  it('reads comma, tab and space separated x,y,w,h and NaN rows (UAV123)', () => {
    const r = parseSotBoxes('1,2,3,4\n5\t6\t7\t8\n9 10 11 12\nNaN,NaN,NaN,NaN\n13, 14, 15, 16\n', 'groundtruth_rect.txt');
    expect(r.warnings).toEqual([]);
    expect(r.value.count).toBe(5);
    expect(Array.from(r.value.xywh.subarray(0, 12))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(r.value.xywh.subarray(12, 16)).every(Number.isNaN)).toBe(true);
    expect(Array.from(r.value.xywh.subarray(16))).toEqual([13, 14, 15, 16]);
  });

  it('turns a malformed line into a NaN frame (reported), keeping frame indices', () => {
    const r = parseSotBoxes('1,2,3,4\n1,2,3\n5,6,7,8\n', 'gt.txt');
    expect(r.value.count).toBe(3);
    expect(Number.isNaN(r.value.xywh[4])).toBe(true);
    expect(r.value.xywh[8]).toBe(5);
    expect(r.warnings.map(formatIssue)).toEqual(['gt.txt:2: expected 4 numbers x,y,w,h, got 3 fields']);
    const blank = parseSotBoxes('1,2,3,4\n\n5,6,7,8\nx,1,1,1\n', 'b.txt');
    expect(blank.value.count).toBe(4);
    expect(blank.warnings.map(formatIssue)).toEqual(['b.txt:2: blank line where a frame x,y,w,h was expected', "b.txt:4: column 1 is not a number: 'x'"]);
  });

  it('reads a file\'s bytes as it reads its text (blank lines, a malformed line, NaN rows)', () => {
    const text = '1,2,3,4\r\n \t\nNaN,NaN,NaN,NaN\n5 6\t7,8\nbad,1,2,3\n\n';
    expect(parseSotBoxes(Buffer.from(text), 'groundtruth.txt')).toEqual(parseSotBoxes(text, 'groundtruth.txt'));
    expect(parseSotBoxes(text, 'groundtruth.txt').value.count).toBe(5);
  });

  it('writes boxes that read back', () => {
    const boxes = parseSotBoxes('1.5,2,3,4\nNaN,NaN,NaN,NaN\n', 'a').value;
    expect(writeSotBoxes(boxes)).toBe('1.5,2,3,4\nNaN,NaN,NaN,NaN\n');
  });

  it('reads LaSOT / GOT-10k flags into visibility', () => {
    const occ = parseFrameFlags('0,0,1,0,0\n', 'full_occlusion.txt');
    const oov = parseFrameFlags('0,0,0,1,0\n', 'out_of_view.txt');
    expect(Array.from(sotVisibility({ fullOcclusion: occ, outOfView: oov }, 5))).toEqual([1, 1, 0, 0, 1]);
    const absence = parseFrameFlags('0\n1\n0\n', 'absence.label');
    expect(Array.from(sotVisibility({ absence }, 4))).toEqual([1, 0, 1, 1]);
    expect(() => parseFrameFlags('0,x\n', 'cover.label')).toThrow("cover.label:1: flag is not a number: 'x'");
  });

  it('reads VOT polygons, rectangles and the 1/2/0 codes', () => {
    const r = parseVotRegions('1\n10,10,20,10,20,20,10,20\n2\n0\n5,5,10,10\n7,7,7\n', 'vot.txt');
    expect(r.value.map((x) => x.kind)).toEqual(['special', 'polygon', 'special', 'special', 'rectangle', 'special']);
    expect(r.value[2]).toEqual({ kind: 'special', code: 2 });
    expect(r.warnings.map(formatIssue)).toEqual(['vot.txt:6: expected a code (1 number), a rectangle (4) or a polygon (even count >= 6), got 3 numbers']);
    expect(writeVotRegions(r.value.slice(0, 5))).toBe('1\n10,10,20,10,20,20,10,20\n2\n0\n5,5,10,10\n');
    expect(parseVotRegions('3\n', 'v').warnings[0]?.message).toMatch(/special code must be 0, 1 or 2/);
  });
  it('rejects a box file whose every line is malformed (it was scored as a sequence of misses)', () => {
    expect(() => parseSotBoxes('a,b,c,d\n1,2\n', 'g.txt')).toThrow(/^g\.txt: every row is malformed \(2; first: g\.txt:1: /);
  });
});
