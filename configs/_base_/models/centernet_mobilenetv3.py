# CenterNet ("Objects as Points", https://arxiv.org/abs/1904.07850) with a MobileNetV3 backbone, COCO's 80
# classes: mmtrack-web's default detector. The network is one ONNX graph; peak picking (3x3 max-pool), top-k and
# box decoding are ours. First version: the default-detector work fixes the ONNX tensor names and sizes.
input_size = (512, 512)  # (h, w) the frame is letterboxed to
model = dict(
    detector=dict(
        type='CenterNet',
        num_classes=80,
        test_cfg=dict(
            topk=100, local_maximum_kernel=3, max_per_img=100,
            score_thr=0.1)))
img_norm_cfg = dict(
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', img_scale=input_size, keep_ratio=True),
    dict(type='Normalize', **img_norm_cfg),
    dict(type='Pad', size=input_size),
    dict(type='ImageToTensor', keys=['img']),
    dict(type='VideoCollect', keys=['img'])
]
onnx = dict(
    detector=dict(
        file='centernet_mobilenetv3/centernet_mobilenetv3_coco.onnx',
        inputs=dict(
            input=dict(dtype='float32', shape=[1, 3, input_size[0], input_size[1]])),
        outputs=dict(
            heatmap=dict(dtype='float32', shape=[1, 80, 'out_h', 'out_w']),
            wh=dict(dtype='float32', shape=[1, 2, 'out_h', 'out_w']),
            offset=dict(dtype='float32', shape=[1, 2, 'out_h', 'out_w']))))
