# Temporal RoI Align (https://arxiv.org/abs/2109.03495) on SELSA: each RoI of the frame also gathers, from the last
# feature map of each of the 14 references (and its own), the features most similar to each of its sample points
# (top 2), and a temporal attention over the 15 frames merges them; the bbox head's three shared fcs then run SELSA.
_base_ = [
    '../../_base_/models/faster_rcnn_r50_dc5.py',
    '../../_base_/datasets/imagenet_vid_fgfa_style.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    type='SELSA',
    detector=dict(
        roi_head=dict(
            type='SelsaRoIHead',
            bbox_roi_extractor=dict(
                type='TemporalRoIAlign',
                num_most_similar_points=2,
                num_temporal_attention_blocks=4,
                roi_layer=dict(
                    type='RoIAlign', output_size=7, sampling_ratio=2),
                out_channels=512,
                featmap_strides=[16]),
            bbox_head=dict(
                type='SelsaBBoxHead',
                num_shared_fcs=3,
                aggregator=dict(
                    type='SelsaAggregator',
                    in_channels=1024,
                    num_attention_blocks=16)))))

# dataset settings
data = dict(
    val=dict(
        ref_img_sampler=dict(
            _delete_=True,
            num_ref_imgs=14,
            frame_range=[-7, 7],
            method='test_with_adaptive_stride')),
    test=dict(
        ref_img_sampler=dict(
            _delete_=True,
            num_ref_imgs=14,
            frame_range=[-7, 7],
            method='test_with_adaptive_stride')))

# optimizer
optimizer = dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001)
optimizer_config = dict(
    _delete_=True, grad_clip=dict(max_norm=35, norm_type=2))
# learning policy
lr_config = dict(
    policy='step',
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=1.0 / 3,
    step=[2, 5])
# runtime settings
total_epochs = 7
evaluation = dict(metric=['bbox'], interval=7)

# The five ONNX graphs exported from a trained checkpoint by scripts/export/export_vid_onnx.py (docs/vid.md), read from
# MODEL_DIR/selsa_troialign_faster_rcnn_r50_dc5_7e_imagenetvid/ (`--model-dir`): SELSA's four (the bbox head split in
# two, three shared fcs: three keys and values) and TemporalRoIAlign's embed network. The most similar RoI align and
# the temporal attention themselves run in mmtrack-web's code.
selsa_kv = dict(dtype='float32', shape=['num_ref_rois', 1024])
roi_feats = dict(dtype='float32', shape=['num_rois', 512, 7, 7])
onnx = dict(
    backbone=dict(
        file='selsa_troialign_faster_rcnn_r50_dc5_7e_imagenetvid/backbone.onnx',
        inputs=dict(img=dict(dtype='float32', shape=[1, 3, 'h', 'w'])),
        outputs=dict(feat_0=dict(dtype='float32', shape=[1, 512, None, None]))),
    rpn_head=dict(
        file='selsa_troialign_faster_rcnn_r50_dc5_7e_imagenetvid/rpn_head.onnx',
        inputs=dict(feat_0=dict(dtype='float32', shape=[1, 512, None, None])),
        outputs=dict(
            rpn_cls_0=dict(dtype='float32', shape=[1, 12, None, None]),
            rpn_reg_0=dict(dtype='float32', shape=[1, 48, None, None]))),
    bbox_head=dict(
        file='selsa_troialign_faster_rcnn_r50_dc5_7e_imagenetvid/bbox_head.onnx',
        inputs=dict(
            roi_feats=roi_feats,
            ref_key_0=selsa_kv,
            ref_value_0=selsa_kv,
            ref_key_1=selsa_kv,
            ref_value_1=selsa_kv,
            ref_key_2=selsa_kv,
            ref_value_2=selsa_kv),
        outputs=dict(
            cls_score=dict(dtype='float32', shape=['num_rois', 31]),
            bbox_pred=dict(dtype='float32', shape=['num_rois', 120]))),
    bbox_head_ref=dict(
        file='selsa_troialign_faster_rcnn_r50_dc5_7e_imagenetvid/bbox_head_ref.onnx',
        inputs=dict(ref_roi_feats=dict(dtype='float32', shape=['num_ref_rois', 512, 7, 7])),
        outputs=dict(
            ref_key_0=selsa_kv,
            ref_value_0=selsa_kv,
            ref_key_1=selsa_kv,
            ref_value_1=selsa_kv,
            ref_key_2=selsa_kv,
            ref_value_2=selsa_kv)),
    embed_network=dict(
        file='selsa_troialign_faster_rcnn_r50_dc5_7e_imagenetvid/embed_network.onnx',
        inputs=dict(roi_feats=roi_feats),
        outputs=dict(roi_embed=roi_feats)))
