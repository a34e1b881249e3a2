# Faster R-CNN, ResNet-50 + FPN, COCO's 80 classes (MMDetection's faster_rcnn_r50_fpn_1x_coco), run as two ONNX graphs
# exported from an MMDetection/MMTracking checkpoint: backbone + FPN + RPN head, and the box head. Anchors, proposal
# NMS, RoIAlign and the final per-class NMS are ours. How to export the two graphs: docs/models.md, "Two-stage
# detectors (Faster R-CNN)".
_base_ = [
    '../_base_/models/faster_rcnn_r50_fpn.py',
    '../_base_/datasets/coco_instance.py'
]
model = dict(type='FasterRCNN')
# FPN levels P2-P5 feed the RoI extractor (featmap_strides 4-32); P6 (stride 64) only the RPN.
onnx = dict(
    backbone=dict(
        file='faster_rcnn_r50_fpn_1x_coco/backbone.onnx',
        inputs=dict(img=dict(dtype='float32', shape=[1, 3, 'h', 'w'])),
        outputs=dict(
            feat_0=dict(dtype='float32', shape=[1, 256, None, None]),
            feat_1=dict(dtype='float32', shape=[1, 256, None, None]),
            feat_2=dict(dtype='float32', shape=[1, 256, None, None]),
            feat_3=dict(dtype='float32', shape=[1, 256, None, None]),
            rpn_cls_0=dict(dtype='float32', shape=[1, 3, None, None]),
            rpn_cls_1=dict(dtype='float32', shape=[1, 3, None, None]),
            rpn_cls_2=dict(dtype='float32', shape=[1, 3, None, None]),
            rpn_cls_3=dict(dtype='float32', shape=[1, 3, None, None]),
            rpn_cls_4=dict(dtype='float32', shape=[1, 3, None, None]),
            rpn_reg_0=dict(dtype='float32', shape=[1, 12, None, None]),
            rpn_reg_1=dict(dtype='float32', shape=[1, 12, None, None]),
            rpn_reg_2=dict(dtype='float32', shape=[1, 12, None, None]),
            rpn_reg_3=dict(dtype='float32', shape=[1, 12, None, None]),
            rpn_reg_4=dict(dtype='float32', shape=[1, 12, None, None]))),
    bbox_head=dict(
        file='faster_rcnn_r50_fpn_1x_coco/bbox_head.onnx',
        inputs=dict(roi_feats=dict(dtype='float32', shape=['num_rois', 256, 7, 7])),
        outputs=dict(
            cls_score=dict(dtype='float32', shape=['num_rois', 81]),
            bbox_pred=dict(dtype='float32', shape=['num_rois', 320]))))
