#!/usr/bin/env python3
"""Exports an MMTracking MaskTrack R-CNN's parts to the ONNX graphs mmtrack-web runs (docs/models.md, "VIS").

Give it the model object MMTracking builds from your config and checkpoint (mmtrack.apis.init_model), or any object
with the same attributes. It reads only MMTracking's and MMDetection's module names:
  model.detector.extract_feat(img)             -> the neck's feature maps
  model.detector.rpn_head(feats)               -> (cls_scores per level, bbox_preds per level)
  model.detector.roi_head.bbox_roi_extractor.featmap_strides
                                               -> how many of the maps the RoI extractors pool
  model.detector.roi_head.bbox_head(rois)      -> (cls_score, bbox_pred)
  model.detector.roi_head.mask_head(rois)      -> mask_pred (FCNMaskHead: logits per class)
  model.track_head.embed_head                  -> RoIEmbedHead: num_convs, convs, with_avg_pool, avg_pool, num_fcs,
                                                  fcs, relu
and writes (into OUT_DIR, each name after an optional PREFIX):
  backbone.onnx    img [1, 3, H, W]        -> feat_0..feat_{K-1} (the K maps the RoI extractors pool), then
                                              rpn_cls_0..rpn_cls_{L-1}, rpn_reg_0..rpn_reg_{L-1} (every RPN level):
                                              the layout of a Faster R-CNN config's backbone graph
  bbox_head.onnx   roi_feats [N, C, 7, 7]  -> cls_score [N, classes + 1], bbox_pred [N, 4 * classes]
  mask_head.onnx   mask_feats [N, C, 14, 14] -> mask_pred [N, classes, 28, 28] (logits; the paste runs in
                                              mmtrack-web's own kernel)
  track_head.onnx  roi_feats [N, C, 7, 7]  -> embed [N, D] (RoIEmbedHead._forward; the dot products with the tracks'
                                              embeddings and the match score run in mmtrack-web's tracker)
configs/vis/masktrack_rcnn/masktrack_rcnn_r50_fpn_12e_youtubevis2019.py reads them from
MODEL_DIR/masktrack_rcnn_r50_fpn_12e_youtubevis2019/.

Usage, with MMTracking installed:
    python3 scripts/export/export_vis_onnx.py CONFIG.py CHECKPOINT.pth OUT_DIR [--prefix P] [--height 384 --width 640]
As a library (the tests use it on a restatement of MMTracking's modules): export_masktrack_rcnn(model, out_dir, prefix, (H, W)).
"""
import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_vid_onnx import BBoxHeadGraph, _export  # noqa: E402


class BackboneRpnGraph(nn.Module):
    """extract_feat + rpn_head: the maps the RoI extractors pool, then the RPN outputs of every level."""

    def __init__(self, detector, num_roi_levels):
        super().__init__()
        self.detector = detector
        self.num_roi_levels = num_roi_levels

    def forward(self, img):
        feats = list(self.detector.extract_feat(img))
        cls, reg = self.detector.rpn_head(feats)
        return (*feats[:self.num_roi_levels], *cls, *reg)


class EmbedGraph(nn.Module):
    """RoIEmbedHead._forward for one image (its torch.split by image would be frozen into the graph at trace time)."""

    def __init__(self, embed_head):
        super().__init__()
        self.embed_head = embed_head

    def forward(self, x):
        h = self.embed_head
        if h.num_convs > 0:
            for conv in h.convs:
                x = conv(x)
        if h.num_fcs > 0:
            if h.with_avg_pool:
                x = h.avg_pool(x)
            x = x.flatten(1)
            for fc in h.fcs:
                x = h.relu(fc(x))
        else:
            x = x.flatten(1)
        return x


def export_masktrack_rcnn(model, out_dir, prefix='', image_hw=(384, 640)):
    """Writes MaskTrack R-CNN's four graphs; returns {role: (path, input names, output names)}."""
    os.makedirs(out_dir, exist_ok=True)
    roi_head = model.detector.roi_head
    num_roi_levels = len(roi_head.bbox_roi_extractor.featmap_strides)
    img = torch.zeros(1, 3, *image_hw)
    with torch.no_grad():
        feats = list(model.detector.extract_feat(img))
    levels = len(feats)
    feat_names = [f'feat_{i}' for i in range(num_roi_levels)]
    cls_names = [f'rpn_cls_{i}' for i in range(levels)]
    reg_names = [f'rpn_reg_{i}' for i in range(levels)]
    outs = feat_names + cls_names + reg_names
    parts = {}
    path = os.path.join(out_dir, f'{prefix}backbone.onnx')
    _export(BackboneRpnGraph(model.detector, num_roi_levels), (img,), path, ['img'], outs,
            {'img': {2: 'h', 3: 'w'}, **{n: {2: f'{n}_h', 3: f'{n}_w'} for n in outs}})
    parts['backbone'] = (path, ['img'], outs)
    channels = feats[0].shape[1]
    rois = {0: 'num_rois'}
    for role, head, size, inp, out in [('bbox_head', roi_head.bbox_head, 7, 'roi_feats', ['cls_score', 'bbox_pred']),
                                       ('mask_head', roi_head.mask_head, 14, 'mask_feats', ['mask_pred']),
                                       ('track_head', None, 7, 'roi_feats', ['embed'])]:
        graph = EmbedGraph(model.track_head.embed_head) if head is None else BBoxHeadGraph(head)  # any one-input head
        path = os.path.join(out_dir, f'{prefix}{role}.onnx')
        _export(graph, (torch.zeros(5, channels, size, size),), path, [inp], out, {inp: rois, **{n: rois for n in out}})
        parts[role] = (path, [inp], out)
    return parts


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('out_dir')
    p.add_argument('--prefix', default='')
    p.add_argument('--height', type=int, default=384)
    p.add_argument('--width', type=int, default=640)
    a = p.parse_args()
    from mmtrack.apis import init_model  # MMTracking 0.x
    model = init_model(a.config, a.checkpoint, device='cpu').eval()
    if type(model).__name__ != 'MaskTrackRCNN':
        raise SystemExit(f'{a.config}: model type {type(model).__name__}; this script exports MaskTrackRCNN')
    for role, (path, ins, outs) in export_masktrack_rcnn(model, a.out_dir, a.prefix, (a.height, a.width)).items():
        print(f'{role}: {path}  inputs {ins}  outputs {outs}')


if __name__ == '__main__':
    main()
