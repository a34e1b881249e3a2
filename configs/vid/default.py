# The VID config the app uses by default, under one stable name for users and scripts: DFF (Deep Feature Flow,
# https://arxiv.org/abs/1611.07715) on the default CenterNet detector, COCO's 80 classes. Works with the models
# `npm install` converts (no download): the detector is cut in two at install time, the full network runs on key
# frames and only its head on the frames between, on the key frame's features warped by the optical flow.
# The flow is NOT a learned FlowNet: it is a training-free pyramidal Lucas-Kanade flow computed by mmtrack-web's own
# code (docs/vid.md), and the detector was never trained on warped features. Expect boxes close to, not the same as,
# per-frame detection; docs/performance.md measures the agreement and the speed-up.
_base_ = ['../_base_/models/centernet_mobilenetv3.py']
model = dict(
    type='DFF',
    motion=dict(
        type='PyramidalLucasKanade',
        num_levels=4,  # 128x128 (the features' grid) down to 16x16
        window_size=15,
        num_iters=3,
        regularization=1e-4),
    test_cfg=dict(key_frame_interval=10))
onnx = dict(
    _delete_=True,
    backbone=dict(
        file='centernet_mobilenetv3_features.onnx',
        inputs=dict(images=dict(dtype='float32', shape=[1, 3, 512, 512])),
        outputs=dict(feat=dict(dtype='float32', shape=[1, 128, 128, 128]))),
    head=dict(
        file='centernet_mobilenetv3_head.onnx',
        inputs=dict(feat=dict(dtype='float32', shape=[1, 128, 128, 128])),
        outputs=dict(
            keypoints=dict(dtype='float32', shape=[1, 80, 128, 128]),
            wh=dict(dtype='float32', shape=[1, 4, 128, 128]))))
# mmtrack test: MMTracking's ImageNet VID validation set, as _base_/datasets/imagenet_vid_dff_style.py names it.
# This default detects COCO's 80 classes and writes COCO's category ids, which are not ImageNet VID's 30: on ImageNet
# VID its mAP means nothing (mmtrack test warns). Point data.test at CocoVID annotations with COCO's category ids, or
# use a config trained on ImageNet VID (configs/vid/dff/...).
data_root = 'data/ILSVRC/'
data = dict(
    test=dict(
        type='ImagenetVIDDataset',
        ann_file=data_root + 'annotations/imagenet_vid_val.json',
        img_prefix=data_root + 'Data/VID',
        ref_img_sampler=None,
        test_mode=True))
evaluation = dict(metric=['bbox'], interval=1)
