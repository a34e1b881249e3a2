#!/usr/bin/env python3
"""Exports an MMTracking VID model's parts to the ONNX graphs mmtrack-web runs (docs/models.md, "VID").

Give it the model object MMTracking builds from your config and checkpoint (mmtrack.apis.init_model), or any object
with the same attributes. It reads only MMTracking's and MMDetection's module names:
  model.detector.extract_feat(img)          -> the neck's feature maps (DFF warps every one)
  model.detector.rpn_head(feats)            -> (cls_scores per level, bbox_preds per level)
  model.detector.roi_head.bbox_head(rois)   -> (cls_score, bbox_pred)
  model.motion                              -> FlowNetSimple: conv_layers, out_indices, deconv_layers,
                                               flow_layers, upflow_layers, predict_flow
  model.aggregator.embed_convs              -> FGFA's EmbedAggregator
  model.detector.roi_head.bbox_head         -> SELSA's SelsaBBoxHead: shared_fcs, aggregator (SelsaAggregator per
                                               shared fc: fc_embed, ref_fc_embed, fc, ref_fc, num_attention_blocks),
                                               fc_cls, fc_reg
  model.detector.roi_head.bbox_roi_extractor.embed_network, .num_temporal_attention_blocks
                                            -> Temporal RoI Align's TemporalRoIAlign
and writes, for DFF (into OUT_DIR, each name after an optional PREFIX):
  backbone.onnx   img [1, 3, H, W]                  -> feat_0..feat_{L-1}
  rpn_head.onnx   feat_0..feat_{L-1}                -> rpn_cls_0.., rpn_reg_0..
  bbox_head.onnx  roi_feats [N, C, 7, 7]            -> cls_score [N, classes + 1], bbox_pred [N, 4 * classes]
  motion.onnx     flow_img [1, 6, H*s, W*s]         -> predict_flow [1, 2, H*s/4, W*s/4]
configs/vid/dff/dff_faster_rcnn_r50_dc5_1x_imagenetvid.py reads them from MODEL_DIR/dff_faster_rcnn_r50_dc5_1x_imagenetvid/.
For FGFA, the same four and:
  aggregator.onnx feats [N, C, h, w]                -> embed [N, C, h, w] (EmbedAggregator's convs; the cosine
                                                       weights and the weighted sum run in mmtrack-web's kernel)
For SELSA, backbone and rpn_head as DFF's, and the SelsaBBoxHead split so that the references' side is computed once
per reference RoI and kept (mmtrack-web caches it for the 14 reference frames):
  bbox_head_ref.onnx  ref_roi_feats [M, C, 7, 7]    -> ref_key_0, ref_value_0, ref_key_1, ... [M, D]: per shared fc i,
                                                       ref_fc_embed and ref_fc of the reference branch's fc_i output
                                                       (pre-ReLU, as the aggregator sees it)
  bbox_head.onnx      roi_feats [N, C, 7, 7], ref_key_0, ref_value_0, ... -> cls_score, bbox_pred (the key frame's
                                                       branch: fc_i, + the attention over the given keys/values, ReLU)
For Temporal RoI Align (a SELSA whose roi_head.bbox_roi_extractor is a TemporalRoIAlign), SELSA's four and:
  embed_network.onnx  roi_feats [N, C, 7, 7]        -> roi_embed [N, C, 7, 7] (TemporalRoIAlign.embed_network; the
                                                       most similar RoI align and the temporal attention run in
                                                       mmtrack-web's own code)
The motion graph is FlowNetSimple's network only: the input preparation (de-normalise, zero outside img_shape,
resize by img_scale_factor) and the final upsampling x(4/s) and scaling x(4/s * flow_scale_factor) run in
mmtrack-web's own kernels, so no full-resolution flow is made. FlowNetSimple's `crop_like` decides at trace time
whether to crop; the export always slices, so that a graph traced at one size stays right at any other.

Usage, with MMTracking installed:
    python3 scripts/export/export_vid_onnx.py CONFIG.py CHECKPOINT.pth OUT_DIR [--prefix P] [--height 608 --width 1008]
As a library (the tests use it on a restatement of MMTracking's modules): export_dff(model, out_dir, prefix, (H, W)).
A MaskTrack R-CNN (VIS) checkpoint given here is exported by scripts/export/export_vis_onnx.py's export_masktrack_rcnn.
"""
import argparse
import os

import torch
from torch import nn


def _export(module, args, path, input_names, output_names, dynamic_axes):
    torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, opset_version=16, do_constant_folding=True)
    try:
        import onnx
        onnx.checker.check_model(onnx.load(path))
    except ImportError:  # the checker is optional
        pass


class FeatureGraph(nn.Module):
    def __init__(self, detector):
        super().__init__()
        self.detector = detector

    def forward(self, img):
        return tuple(self.detector.extract_feat(img))


class RpnHeadGraph(nn.Module):
    def __init__(self, rpn_head):
        super().__init__()
        self.rpn_head = rpn_head

    def forward(self, *feats):
        cls, reg = self.rpn_head(list(feats))
        return (*cls, *reg)


class BBoxHeadGraph(nn.Module):
    def __init__(self, bbox_head):
        super().__init__()
        self.bbox_head = bbox_head

    def forward(self, roi_feats):
        return self.bbox_head(roi_feats)


class FlowNetGraph(nn.Module):
    """FlowNetSimple.forward between prepare_imgs and the final interpolate, with crop_like always slicing."""

    def __init__(self, motion):
        super().__init__()
        self.motion = motion

    def forward(self, x):
        m = self.motion
        conv_outs = []
        for i, conv_name in enumerate(m.conv_layers, 1):
            for module in getattr(m, conv_name):
                x = module(x)
            if i in m.out_indices:
                conv_outs.append(x)
        num_outs = len(conv_outs)
        concat_out = conv_outs[-1]
        for i, deconv_name, flow_name, upflow_name in zip(range(1, num_outs)[::-1], m.deconv_layers[::-1],
                                                          m.flow_layers[::-1], m.upflow_layers[::-1]):
            target = conv_outs[i - 1]
            flow = getattr(m, flow_name)(concat_out)
            upflow = getattr(m, upflow_name)(flow)[:, :, :target.size(2), :target.size(3)]
            deconv_out = getattr(m, deconv_name)(concat_out)[:, :, :target.size(2), :target.size(3)]
            concat_out = torch.cat((target, deconv_out, upflow), dim=1)
        return m.predict_flow(concat_out)


def export_dff(model, out_dir, prefix='', image_hw=(608, 1008), with_motion=True):
    """Writes the four DFF graphs (without motion: backbone and rpn_head only, the bbox head being the caller's);
    returns {role: (path, input names, output names)}."""
    os.makedirs(out_dir, exist_ok=True)
    h, w = image_hw
    img = torch.zeros(1, 3, h, w)
    with torch.no_grad():
        feats = FeatureGraph(model.detector)(img)
    levels = len(feats)
    feat_names = [f'feat_{i}' for i in range(levels)]
    cls_names = [f'rpn_cls_{i}' for i in range(levels)]
    reg_names = [f'rpn_reg_{i}' for i in range(levels)]
    hw_axes = lambda names: {n: {2: f'{n}_h', 3: f'{n}_w'} for n in names}  # noqa: E731
    parts = {}
    path = os.path.join(out_dir, f'{prefix}backbone.onnx')
    _export(FeatureGraph(model.detector), (img,), path, ['img'], feat_names, {'img': {2: 'h', 3: 'w'}, **hw_axes(feat_names)})
    parts['backbone'] = (path, ['img'], feat_names)
    path = os.path.join(out_dir, f'{prefix}rpn_head.onnx')
    _export(RpnHeadGraph(model.detector.rpn_head), feats, path, feat_names, cls_names + reg_names, hw_axes(feat_names + cls_names + reg_names))
    parts['rpn_head'] = (path, feat_names, cls_names + reg_names)
    if not with_motion:
        return parts
    path = os.path.join(out_dir, f'{prefix}bbox_head.onnx')
    channels = feats[0].shape[1]
    _export(BBoxHeadGraph(model.detector.roi_head.bbox_head), (torch.zeros(5, channels, 7, 7),), path, ['roi_feats'], ['cls_score', 'bbox_pred'],
            {'roi_feats': {0: 'num_rois'}, 'cls_score': {0: 'num_rois'}, 'bbox_pred': {0: 'num_rois'}})
    parts['bbox_head'] = (path, ['roi_feats'], ['cls_score', 'bbox_pred'])
    path = os.path.join(out_dir, f'{prefix}motion.onnx')
    s = model.motion.img_scale_factor
    _export(FlowNetGraph(model.motion), (torch.zeros(1, 6, int(h * s), int(w * s)),), path, ['flow_img'], ['predict_flow'],
            {'flow_img': {2: 'h', 3: 'w'}, 'predict_flow': {2: 'flow_h', 3: 'flow_w'}})
    parts['motion'] = (path, ['flow_img'], ['predict_flow'])
    return parts


class EmbedGraph(nn.Module):
    """EmbedAggregator's embedding convs (the part before the L2 normalisation)."""

    def __init__(self, aggregator):
        super().__init__()
        self.aggregator = aggregator

    def forward(self, feats):
        x = feats
        for conv in self.aggregator.embed_convs:
            x = conv(x)
        return x


def export_fgfa(model, out_dir, prefix='', image_hw=(608, 1008)):
    """Writes FGFA's five graphs (DFF's four and the aggregator's embedding); returns {role: (path, inputs, outputs)}."""
    parts = export_dff(model, out_dir, prefix, image_hw)
    with torch.no_grad():
        feats = FeatureGraph(model.detector)(torch.zeros(1, 3, *image_hw))
    path = os.path.join(out_dir, f'{prefix}aggregator.onnx')
    _export(EmbedGraph(model.aggregator), (torch.zeros(3, *feats[0].shape[1:]),), path, ['feats'], ['embed'],
            {'feats': {0: 'n', 2: 'h', 3: 'w'}, 'embed': {0: 'n', 2: 'h', 3: 'w'}})
    parts['aggregator'] = (path, ['feats'], ['embed'])
    return parts


class SelsaRefGraph(nn.Module):
    """SelsaBBoxHead's reference branch: for each shared fc, the aggregator's keys (ref_fc_embed) and values (ref_fc)
    of the pre-ReLU reference features."""

    def __init__(self, bbox_head):
        super().__init__()
        self.bbox_head = bbox_head

    def forward(self, ref_x):
        h = self.bbox_head
        ref_x = ref_x.flatten(1)
        out = []
        for i, fc in enumerate(h.shared_fcs):
            ref_x = fc(ref_x)
            out += [h.aggregator[i].ref_fc_embed(ref_x), h.aggregator[i].ref_fc(ref_x)]
            ref_x = h.inplace_false_relu(ref_x)
        return tuple(out)


class SelsaKeyGraph(nn.Module):
    """SelsaBBoxHead.forward for the key frame's RoIs given the references' keys and values (SelsaAggregator.forward
    with ref_fc_embed(ref_x) and ref_fc(ref_x) already computed), then fc_cls and fc_reg."""

    def __init__(self, bbox_head):
        super().__init__()
        self.bbox_head = bbox_head

    def forward(self, x, *keys_values):
        h = self.bbox_head
        x = x.flatten(1)
        for i, fc in enumerate(h.shared_fcs):
            x = fc(x)
            agg = h.aggregator[i]
            ref_key, ref_value = keys_values[2 * i], keys_values[2 * i + 1]
            roi_n, C = x.shape
            blocks = agg.num_attention_blocks
            c = C // blocks
            x_embed = agg.fc_embed(x).view(roi_n, blocks, c).permute(1, 0, 2)
            ref_x_embed = ref_key.view(-1, blocks, c).permute(1, 2, 0)
            weights = (torch.bmm(x_embed, ref_x_embed) / (c**0.5)).softmax(dim=2)
            ref_x_new = ref_value.view(-1, blocks, c).permute(1, 0, 2)
            x_new = torch.bmm(weights, ref_x_new).permute(1, 0, 2).contiguous()
            x = x + agg.fc(x_new.view(roi_n, C))
            x = h.inplace_false_relu(x)
        return h.fc_cls(x), h.fc_reg(x)


def export_selsa(model, out_dir, prefix='', image_hw=(608, 1008)):
    """Writes SELSA's four graphs (backbone, rpn_head, bbox_head, bbox_head_ref), and with a TemporalRoIAlign its
    embed_network; returns {role: (path, inputs, outputs)}."""
    parts = export_dff(model, out_dir, prefix, image_hw, with_motion=False)
    head = model.detector.roi_head.bbox_head
    with torch.no_grad():
        feats = FeatureGraph(model.detector)(torch.zeros(1, 3, *image_hw))
    roi = torch.zeros(6, feats[0].shape[1], 7, 7)
    kv_names = [f'ref_{kind}_{i}' for i in range(len(head.shared_fcs)) for kind in ('key', 'value')]
    path = os.path.join(out_dir, f'{prefix}bbox_head_ref.onnx')
    _export(SelsaRefGraph(head), (roi,), path, ['ref_roi_feats'], kv_names,
            {'ref_roi_feats': {0: 'num_ref_rois'}, **{n: {0: 'num_ref_rois'} for n in kv_names}})
    parts['bbox_head_ref'] = (path, ['ref_roi_feats'], kv_names)
    with torch.no_grad():
        kv = SelsaRefGraph(head)(torch.zeros(9, *roi.shape[1:]))
    path = os.path.join(out_dir, f'{prefix}bbox_head.onnx')
    _export(SelsaKeyGraph(head), (roi, *kv), path, ['roi_feats', *kv_names], ['cls_score', 'bbox_pred'],
            {'roi_feats': {0: 'num_rois'}, 'cls_score': {0: 'num_rois'}, 'bbox_pred': {0: 'num_rois'}, **{n: {0: 'num_ref_rois'} for n in kv_names}})
    parts['bbox_head'] = (path, ['roi_feats', *kv_names], ['cls_score', 'bbox_pred'])
    extractor = getattr(model.detector.roi_head, 'bbox_roi_extractor', None)
    if getattr(extractor, 'num_temporal_attention_blocks', 0) > 0:
        path = os.path.join(out_dir, f'{prefix}embed_network.onnx')
        _export(TemporalEmbedGraph(extractor), (roi,), path, ['roi_feats'], ['roi_embed'],
                {'roi_feats': {0: 'num_rois'}, 'roi_embed': {0: 'num_rois'}})
        parts['embed_network'] = (path, ['roi_feats'], ['roi_embed'])
    return parts


class TemporalEmbedGraph(nn.Module):
    """Temporal RoI Align's embed network (a 3x3 conv; the most similar RoI align and the attention over the frames
    run in mmtrack-web's own code)."""

    def __init__(self, roi_extractor):
        super().__init__()
        self.embed_network = roi_extractor.embed_network

    def forward(self, roi_feats):
        return self.embed_network(roi_feats)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('out_dir')
    p.add_argument('--prefix', default='')
    p.add_argument('--height', type=int, default=608)
    p.add_argument('--width', type=int, default=1008)
    a = p.parse_args()
    from mmtrack.apis import init_model  # MMTracking 0.x
    model = init_model(a.config, a.checkpoint, device='cpu').eval()
    exporters = {'DFF': export_dff, 'FGFA': export_fgfa, 'SELSA': export_selsa}
    if type(model).__name__ == 'MaskTrackRCNN':  # VIS: one command for every MMTracking model exported here
        from export_vis_onnx import export_masktrack_rcnn
        exporters['MaskTrackRCNN'] = export_masktrack_rcnn
    if type(model).__name__ not in exporters:
        raise SystemExit(f'{a.config}: model type {type(model).__name__}; this script exports {", ".join(exporters)}')
    for role, (path, ins, outs) in exporters[type(model).__name__](model, a.out_dir, a.prefix, (a.height, a.width)).items():
        print(f'{role}: {path}  inputs {ins}  outputs {outs}')


if __name__ == '__main__':
    main()
