# DeepSORT (https://arxiv.org/abs/1703.07402) on the default detector with a user's ReID ONNX (MMTracking's
# reid: input crops of img_scale (256, 128), L2-normalised embeddings). Put the ReID file under the model directory
# (CLI: --model-dir; app: drop it) or point onnx.reid.file at it with --cfg-options.
_base_ = ['../sort/sort_centernet_mobilenetv3_coco-person.py']
model = dict(
    tracker=dict(
        reid=dict(
            _delete_=True,  # the SORT base has reid=None
            num_samples=10,
            img_scale=(256, 128),
            img_norm_cfg=None,
            match_score_thr=2.0)))
onnx = dict(
    reid=dict(
        file='reid_r50_mot17.onnx',
        inputs=dict(input=dict(dtype='float32', shape=[None, 3, 256, 128])),
        outputs=dict(output=dict(dtype='float32', rank=2))))
