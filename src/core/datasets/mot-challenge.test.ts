import { describe, expect, it } from 'vitest';
import { DatasetError, formatIssue } from './issues.ts';
import { parseMotGt, parseMotTracker, parseSeqInfo, parseSeqmap, writeMotTracker } from './mot-challenge.ts';

describe('MOTChallenge files', () => {
  it('reads MOT16/17/20 gt (9 columns) with class and visibility', () => {
    const r = parseMotGt('1,1,10,20,30,40,1,1,0.8\n1,2,0,0,5,5,0,7,1\n', 'gt.txt');
    expect(r.format).toBe('mot16');
    expect(r.value.count).toBe(2);
    expect(Array.from(r.value.cls)).toEqual([1, 7]);
    expect(Array.from(r.value.conf)).toEqual([1, 0]);
    expect(r.value.visibility[0]).toBeCloseTo(0.8);
    expect(Array.from(r.value.boxes.subarray(0, 4))).toEqual([10, 20, 30, 40]);
  });

  it('reads MOT15 gt (10 columns): every box is a pedestrian', () => {
    const r = parseMotGt('1 3 10 20 30 40 1 -1 -1 -1\n2 3 11 20 30 40 1 -1 -1 -1\n', 'gt.txt');
    expect(r.format).toBe('mot15');
    expect(Array.from(r.value.cls)).toEqual([1, 1]);
    expect(Array.from(r.value.frame)).toEqual([1, 2]);
  });

  it('reports malformed rows with file and line, and keeps the good ones', () => {
    const r = parseMotTracker('1,1,0,0,1,1,0.9\n\n1,2,abc,0,1,1,1\n2,1,0,0\n0,1,0,0,1,1,1\n3,1,0,0,1,1,1\n', 'res/SEQ.txt', { seqLength: 2 });
    expect(r.value.count).toBe(1);
    expect(r.warnings.map(formatIssue)).toEqual([
      "res/SEQ.txt:3: column 3 is not a number: 'abc'",
      'res/SEQ.txt:4: expected at least 6 columns (frame,id,x,y,w,h[,conf,...]), got 4',
      'res/SEQ.txt:5: frame must be a positive integer, got 0',
      'res/SEQ.txt:6: frame 3 is past the sequence length 2 (seqinfo.ini seqLength)',
    ]);
  });

  it('rejects a file that is mostly broken', () => {
    const text = Array.from({ length: 20 }, () => 'not,a,row,at,all,really').join('\n');
    expect(() => parseMotTracker(text, 'x.txt')).toThrow(DatasetError);
    expect(() => parseMotTracker(text, 'x.txt')).toThrow(/x\.txt: more than 10 malformed rows \(first: x\.txt:1:/);
  });

  it('rejects a file whose every row is malformed, even under the bad-row limit (it was scored as an empty sequence)', () => {
    const text = '1,1,10,10\n2,1,10,10\n3,1,10,10\n';
    expect(() => parseMotGt(text, 'gt.txt')).toThrow(/^gt\.txt: every row is malformed \(3; first: gt\.txt:1: expected 9 columns/);
    expect(() => parseMotTracker(text, 'r.txt')).toThrow(/^r\.txt: every row is malformed \(3; first: r\.txt:1: expected at least 6 columns/);
    // An empty file is an empty sequence, as in TrackEval.
    expect(parseMotTracker('', 'r.txt').value.count).toBe(0);
  });

  it('reads the file\'s bytes as it reads its text (BOM, CRLF, comments, negatives, a bad field, a non-ASCII line)', () => {
    const text = '\ufeff# é comment\r\n1,1,-10.5,20,30,40,1,1,0.25\r\n\r\n2,1,1e2,2,3,4,1,1,1\n3,1,x,2,3,4,1,1,1\n4,2,1,2,3,4,1,2,0.5';
    const fromText = parseMotGt(text, 'gt.txt');
    const fromBytes = parseMotGt(Buffer.from(text, 'utf8'), 'gt.txt');
    expect(fromBytes).toEqual(fromText);
    expect(fromText.value.count).toBe(3);
    expect(Array.from(fromText.value.boxes.subarray(0, 8))).toEqual([-10.5, 20, 30, 40, 100, 2, 3, 4]);
    expect(fromText.warnings.map((w) => [w.line, w.message])).toEqual([[5, "column 3 is not a number: 'x'"]]);
    const tr = '1,5,-1.25,2,3,4,0.9,-1,-1,-1\n'.repeat(200);
    expect(parseMotTracker(new TextEncoder().encode(tr), 't.txt')).toEqual(parseMotTracker(tr, 't.txt'));
    expect(parseMotTracker(tr, 't.txt').value.count).toBe(200);
    // Rows shorter than the builder's size estimate (32 bytes a row): its arrays grow, nothing is lost.
    const short = Array.from({ length: 300 }, (_, k) => `${k + 1},${k},1,2,3,4`).join('\n');
    const r = parseMotTracker(short, 't.txt').value;
    expect(r.count).toBe(300);
    expect(Array.from(r.frame.subarray(295))).toEqual([296, 297, 298, 299, 300]);
    expect(Array.from(r.boxes.subarray(299 * 4))).toEqual([1, 2, 3, 4]);
    expect(Array.from(r.conf.subarray(0, 2))).toEqual([1, 1]);
  });

  it('writes tracker rows that read back', () => {
    const r = parseMotTracker('1,5,1.5,2,3,4,0.5\n', 'a.txt').value;
    expect(writeMotTracker(r)).toBe('1,5,1.500,2.000,3.000,4.000,0.500,-1,-1,-1\n');
    expect(parseMotTracker(writeMotTracker(r), 'b.txt').value).toEqual(r);
  });

  it('reads seqinfo.ini and seqmaps, with clear errors', () => {
    const info = parseSeqInfo('[Sequence]\nname=MOT17-02\nimDir=img1\nframeRate=30\nseqLength=600\nimWidth=1920\nimHeight=1080\nimExt=.jpg\n', 'seqinfo.ini');
    expect(info).toEqual({ name: 'MOT17-02', imDir: 'img1', frameRate: 30, seqLength: 600, imWidth: 1920, imHeight: 1080, imExt: '.jpg' });
    expect(() => parseSeqInfo('[Sequence]\nname=x\n', 'S/seqinfo.ini')).toThrow("S/seqinfo.ini: missing 'seqLength' in the [Sequence] section");
    expect(() => parseSeqInfo('[Sequence]\nseqLength=ten\n', 's.ini')).toThrow("s.ini:2: 'seqLength' must be a non-negative number, got 'ten'");
    // A length no video has is refused before evaluation allocates per frame (it used to run out of memory).
    expect(() => parseSeqInfo('[Sequence]\nname=x\nseqLength=2000000000\n', 's.ini')).toThrow('s.ini:3: seqLength=2000000000 is longer than any sequence evaluated here (at most 1000000 frames)');
    expect(parseSeqInfo('[Sequence]\nseqLength=1000000\n', 's.ini').seqLength).toBe(1000000);
    expect(parseSeqmap('name\nMOT17-02\nMOT17-04\n\n', 'm.txt')).toEqual(['MOT17-02', 'MOT17-04']);
    expect(() => parseSeqmap('name\n', 'm.txt')).toThrow('m.txt: no sequence names after the header line');
    expect(() => parseSeqmap('name\na\na\n', 'm.txt')).toThrow(/listed twice/);
  });
});
