# CenterNet ("Objects as Points", https://arxiv.org/abs/1904.07850) with a MobileNetV3 backbone, COCO's 80
# classes: mmtrack-web's default detector (weights from @vladmandic/human's MB3-CenterNet, converted to ONNX at
# install time, see docs/models.md). The network is one ONNX graph; 3x3 max-pool peak picking, top-k and box
# decoding are our kernels (src/gpu/heatmap-peaks.ts, src/gpu/centernet-boxes.ts).
input_size = (512, 512)  # (w, h): the frame is stretched to it, as the original model was trained
model = dict(
    detector=dict(
        type='CenterNet',
        num_classes=80,
        stride=4,
        test_cfg=dict(
            topk=100, local_maximum_kernel=3, max_per_img=100,
            score_thr=0.15,  # @vladmandic/human uses 0.2; this model scores smaller people 0.15-0.3
            # Peaks already suppress duplicates of one class; this drops a second class on the same object.
            nms=dict(type='nms', iou_threshold=0.6, class_agnostic=True))))
# The model takes RGB 0-255, no mean/std (MMDetection terms: Normalize with mean 0, std 1).
img_norm_cfg = dict(mean=[0, 0, 0], std=[1, 1, 1], to_rgb=True)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', img_scale=input_size, keep_ratio=False),
    dict(type='Normalize', **img_norm_cfg),
    dict(type='ImageToTensor', keys=['img']),
    dict(type='VideoCollect', keys=['img'])
]
onnx = dict(
    detector=dict(
        file='centernet_mobilenetv3_coco.onnx',
        inputs=dict(
            images=dict(dtype='float32', shape=[1, 3, 512, 512])),
        outputs=dict(
            keypoints=dict(dtype='float32', shape=[1, 80, 'out_h', 'out_w']),
            wh=dict(dtype='float32', shape=[1, 4, 'out_h', 'out_w']))))
