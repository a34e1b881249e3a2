# DeepSORT (https://arxiv.org/abs/1703.07402) on the default detector with a user's trained ReID model, as
# MMTracking's DeepSORT configs (model.reid of type BaseReID, exported to ONNX: crops [N, 3, 256, 128] → embeddings
# [N, D], L2-normalised here). Crops are cut from the frame at the tracker's reid.img_scale (h, w) and normalised
# with reid.img_norm_cfg, or the detector's normalisation when it is None. Put the ReID file under the model
# directory (CLI: --model-dir, with the detector's file; app: drop it on "ReID model" in the MOT panel) or point
# onnx.reid.file at it with --cfg-options.
_base_ = ['../sort/sort_centernet_mobilenetv3_coco-person.py']
model = dict(
    # The exported network (MMTracking's reid_r50_6e_mot17 layout); these keys document it, the ONNX file is it.
    reid=dict(
        type='BaseReID',
        backbone=dict(type='ResNet', depth=50, num_stages=4, out_indices=(3, ), style='pytorch'),
        neck=dict(type='GlobalAveragePooling', kernel_size=(8, 4), stride=1),
        head=dict(type='LinearReIDHead', num_fcs=1, in_channels=2048, fc_channels=1024, out_channels=128)),
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
