# ByteTrack (https://arxiv.org/abs/2110.06864) as MMTracking's bytetrack_yolox_x_crowdhuman_mot17-private-half.py:
# the YOLOX-X pedestrian detector (one class), exported by the user to ONNX as docs/models.md ("YOLOX") describes and
# named by the onnx section below (bytetrack_mot17/yolox_x.onnx under --model-dir; dropped on "Use my ONNX…" in the
# app). Training keys are kept as MMTracking's so the config reads the same; only test-time keys change results here.
_base_ = [
    '../../_base_/models/yolox_x_8x8.py',
    '../../_base_/datasets/mot_challenge.py', '../../_base_/default_runtime.py'
]

img_scale = (800, 1440)
samples_per_gpu = 4

model = dict(
    type='ByteTrack',
    detector=dict(
        input_size=img_scale,
        random_size_range=(18, 32),
        bbox_head=dict(num_classes=1),
        test_cfg=dict(score_thr=0.01, nms=dict(type='nms', iou_threshold=0.7)),
        init_cfg=dict(
            type='Pretrained',
            checkpoint=  # noqa: E251
            'https://download.openmmlab.com/mmdetection/v2.0/yolox/yolox_x_8x8_300e_coco/yolox_x_8x8_300e_coco_20211126_140254-1ef88d67.pth'  # noqa: E501
        )),
    motion=dict(type='KalmanFilter'),
    tracker=dict(
        type='ByteTracker',
        obj_score_thrs=dict(high=0.6, low=0.1),
        init_track_thr=0.7,
        weight_iou_with_det_scores=True,
        match_iou_thrs=dict(high=0.1, low=0.5, tentative=0.3),
        num_frames_retain=30))

test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='MultiScaleFlipAug',
        img_scale=img_scale,
        flip=False,
        transforms=[
            dict(type='Resize', keep_ratio=True),
            dict(type='RandomFlip'),
            dict(
                type='Normalize',
                mean=[0.0, 0.0, 0.0],
                std=[1.0, 1.0, 1.0],
                to_rgb=False),
            dict(
                type='Pad',
                size_divisor=32,
                pad_val=dict(img=(114.0, 114.0, 114.0))),
            dict(type='ImageToTensor', keys=['img']),
            dict(type='VideoCollect', keys=['img'])
        ])
]
data = dict(
    samples_per_gpu=samples_per_gpu,
    workers_per_gpu=4,
    val=dict(pipeline=test_pipeline),
    test=dict(pipeline=test_pipeline))

# mmtrack-web: the exported graph (image [1, 3, H, W] BGR 0-255 → class, box and objectness maps at strides 8, 16,
# 32, in YOLOXHead.forward's order), relative to the model directory.
onnx = dict(
    detector=dict(
        file='bytetrack_mot17/yolox_x.onnx',
        inputs=dict(img=dict(dtype='float32', shape=[1, 3, 'h', 'w'])),
        outputs=dict(
            cls_score_0=dict(dtype='float32', shape=[1, 1, None, None]),
            cls_score_1=dict(dtype='float32', shape=[1, 1, None, None]),
            cls_score_2=dict(dtype='float32', shape=[1, 1, None, None]),
            bbox_pred_0=dict(dtype='float32', shape=[1, 4, None, None]),
            bbox_pred_1=dict(dtype='float32', shape=[1, 4, None, None]),
            bbox_pred_2=dict(dtype='float32', shape=[1, 4, None, None]),
            objectness_0=dict(dtype='float32', shape=[1, 1, None, None]),
            objectness_1=dict(dtype='float32', shape=[1, 1, None, None]),
            objectness_2=dict(dtype='float32', shape=[1, 1, None, None]))))
