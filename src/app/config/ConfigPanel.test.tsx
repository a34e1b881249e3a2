import { renderToStaticMarkup } from 'react-dom/server';
import type { ConfigDict } from '../../core/config/config-value.ts';
import { describe, expect, it } from 'vitest';
import { ConfigPanelView } from './ConfigPanel.tsx';
import { configStore } from './config-store.ts';
import { ConfigTree, formatScalar } from './ConfigTree.tsx';

const count = (html: string, text: string) => html.split(text).length - 1;

describe('ConfigTree', () => {
  const config: ConfigDict = {
    model: { type: 'ByteTrack', tracker: { type: 'ByteTracker', obj_score_thrs: { high: 0.6, low: 0.1 }, momentums: null, weighted: true } },
    pipeline: [{ type: 'LoadImageFromFile' }, { type: 'Resize', img_scale: [800, 1440] }],
    mean: [123.675, 116.28, 103.53],
    empty: [],
    name: "it's",
  };

  it('renders dicts and lists as foldable <details>, scalars and short lists as leaves, in config syntax', () => {
    const html = renderToStaticMarkup(<ConfigTree config={config} openDepth={1} />);
    expect(html).toContain('data-testid="config-tree"');
    // model and pipeline fold; mean and empty are one-line leaves.
    expect(count(html, '<details')).toBe(6);
    expect(html).toContain('<span class="cfg-summary">dict(type=&#x27;ByteTrack&#x27;, ...)</span>');
    expect(html).toContain('<span class="cfg-summary">[2 items]</span>');
    expect(html).toContain('<span class="cfg-value cfg-list">[123.675, 116.28, 103.53]</span>');
    expect(html).toContain('<span class="cfg-value cfg-list">[]</span>');
    expect(html).toContain('<span class="cfg-value cfg-none">None</span>');
    expect(html).toContain('<span class="cfg-value cfg-bool">True</span>');
    expect(html).toContain('<span class="cfg-value cfg-str">&#x27;it\\&#x27;s&#x27;</span>');
    // Hovering shows the key's --cfg-options path, list items by index.
    expect(html).toContain('title="pipeline.1.img_scale"');
    expect(html).toContain('title="model.tracker.obj_score_thrs.high"');
  });

  it('unfolds the first openDepth levels', () => {
    const openCount = (depth: number) => count(renderToStaticMarkup(<ConfigTree config={config} openDepth={depth} />), '<details class="cfg-node" open=""');
    expect(openCount(0)).toBe(0);
    expect(openCount(1)).toBe(2);
    expect(openCount(99)).toBe(6);
  });

  it('marks the overridden paths', () => {
    const html = renderToStaticMarkup(<ConfigTree config={config} openDepth={1} highlight={new Set(['model.tracker.momentums', 'pipeline.1'])} />);
    expect(html).toContain('<div class="cfg-leaf cfg-overridden" role="treeitem" title="model.tracker.momentums">');
    expect(html).toContain('<details class="cfg-node cfg-overridden"');
  });

  it('formats scalars as Python writes them', () => {
    expect([null, true, false, 0.5, -Infinity, NaN, 'a\\b'].map((v) => formatScalar(v))).toEqual(['None', 'True', 'False', '0.5', '-inf', 'nan', "'a\\\\b'"]);
  });
});

describe('ConfigPanel (rendered from the app store)', () => {
  it('renders the picker, the override box, the file inputs and the merged tree of the chosen config', async () => {
    await configStore.getState().select('configs/sot/nanotrack/nanotrack_v2.py');
    configStore.getState().setOptionsText('model.test_cfg.rpn.lr=0.4');
    configStore.getState().applyOptions();
    const html = renderToStaticMarkup(<ConfigPanelView state={configStore.getState()} />);
    for (const id of ['config-select', 'cfg-options-input', 'config-file-input', 'config-folder-input', 'config-tree']) expect(html, id).toContain(`data-testid="${id}"`);
    expect(html).not.toContain('data-testid="config-error"');
    expect(html).toContain('<option value="configs/sot/nanotrack/nanotrack_v2.py" selected="">nanotrack_v2.py</option>');
    expect(html).toContain('<optgroup label="mot/tracktor">');
    expect(html).toContain('value="model.test_cfg.rpn.lr=0.4"');
    expect(html).toContain('title="model.test_cfg.rpn.lr"');
    expect(html).toContain('<span class="cfg-value cfg-num">0.4</span>');
    expect(html).toContain('webkitdirectory=""');
  });

  it('shows load and override errors in the error box', async () => {
    await configStore.getState().pickFiles([new File(['model = dict(type=1 if x else 2)\n'], 'bad.py')]);
    configStore.getState().setOptionsText('novalue');
    configStore.getState().applyOptions();
    const html = renderToStaticMarkup(<ConfigPanelView state={configStore.getState()} />);
    expect(count(html, 'data-testid="config-error"')).toBe(1);
    expect(html).toContain('<p class="cfg-error-text">user/bad.py:1:21: conditional expressions (x if c else y) are not supported</p>');
    // The caret stays under column 21: 2 spaces of indent + the '1 | ' gutter + 20 columns.
    expect(html).toContain(`<pre class="cfg-error-source">  1 | model = dict(type=1 if x else 2)\n${' '.repeat(2 + 4 + 20)}^</pre>`);
    expect(html).toContain('--cfg-options &#x27;novalue&#x27;: expected KEY=VALUE');
    expect(html).toContain('<optgroup label="Your files"><option value="user/bad.py" selected="">bad.py</option></optgroup>');
    expect(html).not.toContain('data-testid="config-tree"');
    await configStore.getState().clearPickedFiles();
  });
});
