# SiamFC ("Fully-Convolutional Siamese Networks for Object Tracking", https://arxiv.org/abs/1606.09549) tracking
# loop on the stride-8 features of the default detector's MobileNetV3 backbone (MB3-CenterNet weights from
# @vladmandic/human, cut and converted to ONNX at install time: docs/models.md). No weights trained for tracking:
# it works out of the box, but NanoTrack / SiamRPN++ (user-supplied ONNX) track far better (docs/sot.md).
# Test-time values are SiamFC's (siamfc-pytorch's TrackerSiamFC defaults).
exemplar_size = 127
search_size = 255
model = dict(
    type='SiamFC',
    backbone=dict(type='MobileNetV3', arch='large', widen_factor=0.75, out_indices=(5, ), stride=8),
    test_cfg=dict(
        exemplar_size=exemplar_size,
        search_size=search_size,
        context_amount=0.5,
        num_scales=3,
        scale_step=1.0375,
        scale_penalty=0.9745,
        scale_lr=0.59,
        window_influence=0.176,
        response_up=16,
        total_stride=8))
onnx = dict(
    backbone=dict(
        file='mobilenetv3_features_s8.onnx',
        inputs=dict(crop=dict(dtype='float32', shape=[1, 3, search_size, search_size])),
        outputs=dict(features=dict(dtype='float32', shape=[1, 32, 32, 32]))))
