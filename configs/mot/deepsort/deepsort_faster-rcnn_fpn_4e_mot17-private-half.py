# DeepSORT (https://arxiv.org/abs/1703.07402) as MMTracking's
# configs/mot/deepsort/deepsort_faster-rcnn_fpn_4e_mot17-private-half.py: SORT on the user's Faster R-CNN plus the
# ReID model of Tracktor's config (onnx.reid: tracktor_mot17/reid.onnx, crops [N, 3, 256, 128] → embeddings).
_base_ = ['./sort_faster-rcnn_fpn_4e_mot17-private-half.py']
model = dict(
    # The exported network (MMTracking's reid_r50 layout); these keys document it, the ONNX file is it.
    reid=dict(
        type='BaseReID',
        backbone=dict(type='ResNet', depth=50, num_stages=4, out_indices=(3, ), style='pytorch'),
        neck=dict(type='GlobalAveragePooling', kernel_size=(8, 4), stride=1),
        head=dict(type='LinearReIDHead', num_fcs=1, in_channels=2048, fc_channels=1024, out_channels=128)),
    tracker=dict(
        obj_score_thr=0.5,
        reid=dict(
            _delete_=True,  # the SORT base has reid=None
            num_samples=10,
            img_scale=(256, 128),
            img_norm_cfg=None,
            match_score_thr=2.0),
        match_iou_thr=0.5,
        momentums=None,
        num_tentatives=2,
        num_frames_retain=100))
