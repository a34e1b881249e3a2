# DeepSORT (https://arxiv.org/abs/1703.07402) on the default detector, with appearance embeddings pooled from the
# detector's own MobileNetV3 backbone (stride 8): works with the models `npm install` converts, no ReID download.
# Each box's features are pooled by RoIAlign into a roi_size grid and L2-normalised. These features were trained for
# detection, not re-identification; a trained ReID model (deepsort_centernet_mobilenetv3_coco-person_reid.py) tells
# people apart far better.
_base_ = ['../sort/sort_centernet_mobilenetv3_coco-person.py']
model = dict(
    reid=dict(
        type='DetectorFeatureReID',
        img_scale=(512, 512),  # Resize, keep_ratio: the long side to 512
        size_divisor=8,
        roi_size=(4, 2),  # (h, w) cells per person: 32 channels x 8 = 256-d embeddings
        stride=8),
    tracker=dict(
        reid=dict(
            _delete_=True,  # the SORT base has reid=None
            num_samples=10,
            img_scale=(256, 128),
            img_norm_cfg=None,
            # Euclidean distance of L2-normalised embeddings is in [0, 2]; MMTracking's 2.0 accepts every pair that
            # passes the motion gate. Pooled detector features of different people are closer than a ReID
            # model's, so the bound is tighter here.
            match_score_thr=0.5)))
onnx = dict(
    reid=dict(
        file='mobilenetv3_features_s8.onnx',
        inputs=dict(crop=dict(dtype='float32', shape=[1, 3, None, None])),
        outputs=dict(features=dict(dtype='float32', shape=[1, 32, None, None]))))
