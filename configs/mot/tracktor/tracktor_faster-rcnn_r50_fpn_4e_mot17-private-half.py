# Tracktor (https://arxiv.org/abs/1903.05625): the detector's box regression carries tracks from frame to frame,
# a ReID model and camera motion compensation re-identify lost tracks.
_base_ = [
    '../../_base_/models/faster_rcnn_r50_fpn.py',
    '../../_base_/datasets/mot_challenge.py', '../../_base_/default_runtime.py'
]
model = dict(
    type='Tracktor',
    detector=dict(
        rpn_head=dict(bbox_coder=dict(clip_border=False)),
        roi_head=dict(
            bbox_head=dict(bbox_coder=dict(
                clip_border=False), num_classes=1)),
        init_cfg=dict(
            type='Pretrained',
            checkpoint=  # noqa: E251
            'https://download.openmmlab.com/mmtracking/mot/faster_rcnn/faster-rcnn_r50_fpn_4e_mot17-half-64ee2ed4.pth'  # noqa: E501
        )),
    reid=dict(
        type='BaseReID',
        backbone=dict(
            type='ResNet',
            depth=50,
            num_stages=4,
            out_indices=(3, ),
            style='pytorch'),
        neck=dict(type='GlobalAveragePooling', kernel_size=(8, 4), stride=1),
        head=dict(
            type='LinearReIDHead',
            num_fcs=1,
            in_channels=2048,
            fc_channels=1024,
            out_channels=128,
            norm_cfg=dict(type='BN1d'),
            act_cfg=dict(type='ReLU')),
        init_cfg=dict(
            type='Pretrained',
            checkpoint=  # noqa: E251
            'https://download.openmmlab.com/mmtracking/mot/reid/reid_r50_6e_mot17-4bf6b63d.pth'  # noqa: E501
        )),
    motion=dict(
        type='CameraMotionCompensation',
        warp_mode='cv2.MOTION_EUCLIDEAN',
        num_iters=100,
        stop_eps=0.00001),
    tracker=dict(
        type='TracktorTracker',
        obj_score_thr=0.5,
        regression=dict(
            obj_score_thr=0.5,
            nms=dict(type='nms', iou_threshold=0.6),
            match_iou_thr=0.3),
        reid=dict(
            num_samples=10,
            img_scale=(256, 128),
            img_norm_cfg=None,
            match_score_thr=2.0,
            match_iou_thr=0.2),
        momentums=None,
        num_frames_retain=10))
# optimizer
optimizer = dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001)
optimizer_config = dict(grad_clip=None)
# learning policy
lr_config = dict(
    policy='step',
    warmup='linear',
    warmup_iters=100,
    warmup_ratio=1.0 / 100,
    step=[3])
# runtime settings
total_epochs = 4
evaluation = dict(metric=['bbox', 'track'], interval=1)
search_metrics = ['MOTA', 'IDF1', 'FN', 'FP', 'IDs', 'MT', 'ML']
test_set = 'train'
# mmtrack-web: the ONNX files this config runs (exported by the user from the checkpoints above, docs/models.md),
# relative to the model directory (CLI: --model-dir). The detector is MMTracking's Faster R-CNN with one class
# (pedestrian): cls_score has 2 columns (person, background), bbox_pred 4.
onnx = dict(
    backbone=dict(
        file='tracktor_mot17/backbone.onnx',
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
        file='tracktor_mot17/bbox_head.onnx',
        inputs=dict(roi_feats=dict(dtype='float32', shape=['num_rois', 256, 7, 7])),
        outputs=dict(
            cls_score=dict(dtype='float32', shape=['num_rois', 2]),
            bbox_pred=dict(dtype='float32', shape=['num_rois', 4]))),
    reid=dict(
        file='tracktor_mot17/reid.onnx',
        inputs=dict(input=dict(dtype='float32', shape=[None, 3, 256, 128])),
        outputs=dict(output=dict(dtype='float32', rank=2))))
