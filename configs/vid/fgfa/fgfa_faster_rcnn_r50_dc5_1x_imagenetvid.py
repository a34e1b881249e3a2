# FGFA (Flow-Guided Feature Aggregation, https://arxiv.org/abs/1703.10025): each frame's features are aggregated with
# those of the 30 frames around it, warped to it by FlowNetSimple's flow and weighted by embedding similarity.
_base_ = [
    '../../_base_/models/faster_rcnn_r50_dc5.py',
    '../../_base_/datasets/imagenet_vid_fgfa_style.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    type='FGFA',
    motion=dict(
        type='FlowNetSimple',
        img_scale_factor=0.5,
        init_cfg=dict(
            type='Pretrained',
            checkpoint=  # noqa: E251
            'https://download.openmmlab.com/mmtracking/pretrained_weights/flownet_simple.pth'  # noqa: E501
        )),
    aggregator=dict(
        type='EmbedAggregator', num_convs=1, channels=512, kernel_size=3))

# optimizer
optimizer = dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001)
optimizer_config = dict(
    _delete_=True, grad_clip=dict(max_norm=35, norm_type=2))
# learning policy
lr_config = dict(
    policy='step',
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=1.0 / 3,
    step=[2, 5])
# runtime settings
total_epochs = 7
evaluation = dict(metric=['bbox'], interval=7)

# The five ONNX graphs exported from a trained checkpoint by scripts/export/export_vid_onnx.py (docs/vid.md), read from
# MODEL_DIR/fgfa_faster_rcnn_r50_dc5_1x_imagenetvid/ (`--model-dir`).
onnx = dict(
    backbone=dict(
        file='fgfa_faster_rcnn_r50_dc5_1x_imagenetvid/backbone.onnx',
        inputs=dict(img=dict(dtype='float32', shape=[1, 3, 'h', 'w'])),
        outputs=dict(feat_0=dict(dtype='float32', shape=[1, 512, None, None]))),
    rpn_head=dict(
        file='fgfa_faster_rcnn_r50_dc5_1x_imagenetvid/rpn_head.onnx',
        inputs=dict(feat_0=dict(dtype='float32', shape=[1, 512, None, None])),
        outputs=dict(
            rpn_cls_0=dict(dtype='float32', shape=[1, 12, None, None]),
            rpn_reg_0=dict(dtype='float32', shape=[1, 48, None, None]))),
    bbox_head=dict(
        file='fgfa_faster_rcnn_r50_dc5_1x_imagenetvid/bbox_head.onnx',
        inputs=dict(roi_feats=dict(dtype='float32', shape=['num_rois', 512, 7, 7])),
        outputs=dict(
            cls_score=dict(dtype='float32', shape=['num_rois', 31]),
            bbox_pred=dict(dtype='float32', shape=['num_rois', 120]))),
    motion=dict(
        file='fgfa_faster_rcnn_r50_dc5_1x_imagenetvid/motion.onnx',
        inputs=dict(flow_img=dict(dtype='float32', shape=[1, 6, None, None])),
        outputs=dict(predict_flow=dict(dtype='float32', shape=[1, 2, None, None]))),
    aggregator=dict(
        file='fgfa_faster_rcnn_r50_dc5_1x_imagenetvid/aggregator.onnx',
        inputs=dict(feats=dict(dtype='float32', shape=['n', 512, None, None])),
        outputs=dict(embed=dict(dtype='float32', shape=['n', 512, None, None]))))
