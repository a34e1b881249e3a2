# MaskTrack R-CNN, ResNet-50 + FPN, 12 epochs on YouTube-VIS 2019 (40 classes), from COCO Mask R-CNN weights.
_base_ = [
    '../../_base_/models/masktrack_rcnn_r50_fpn.py',
    '../../_base_/datasets/youtube_vis.py', '../../_base_/default_runtime.py'
]
model = dict(
    detector=dict(
        roi_head=dict(
            bbox_head=dict(num_classes=40), mask_head=dict(num_classes=40)),
        test_cfg=dict(
            rpn=dict(nms_pre=200, max_per_img=200), rcnn=dict(score_thr=0.01)),
        init_cfg=dict(
            type='Pretrained',
            checkpoint=  # noqa: E251
            'https://download.openmmlab.com/mmdetection/v2.0/mask_rcnn/mask_rcnn_r50_fpn_1x_coco/mask_rcnn_r50_fpn_1x_coco_20200205-d4b0c5d6.pth'  # noqa: E501
        )))
# optimizer
optimizer = dict(type='SGD', lr=0.00125, momentum=0.9, weight_decay=0.0001)
optimizer_config = dict(grad_clip=dict(max_norm=35, norm_type=2))
# learning policy
lr_config = dict(
    policy='step',
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=1.0 / 3.0,
    step=[8, 11])
# runtime settings
total_epochs = 12
evaluation = dict(metric=['track_segm'], interval=13)

# The exported graphs (scripts/export/export_vis_onnx.py; docs/vis.md), in MODEL_DIR/masktrack_rcnn_r50_fpn_12e_youtubevis2019/.
onnx = dict(
    backbone=dict(
        file='masktrack_rcnn_r50_fpn_12e_youtubevis2019/backbone.onnx',
        inputs=dict(img=dict(dtype='float32', shape=[1, 3, 'h', 'w'])),
        outputs=dict(
            feat_0=dict(dtype='float32', shape=[1, 256, None, None]),
            feat_1=dict(dtype='float32', shape=[1, 256, None, None]),
            feat_2=dict(dtype='float32', shape=[1, 256, None, None]),
            feat_3=dict(dtype='float32', shape=[1, 256, None, None]),
            rpn_cls_0=dict(dtype='float32', shape=[1, 3, None, None]),
            rpn_cls_1=dict(dtype='float32', shape=[1, 3, None, None]),
            rpn_cls_2=dict(dtype='float32', shape=[1, 3, None, None]),
            rpn_cls_3=dict(dtype='float32', shape=[1, 3, None, None]),
            rpn_cls_4=dict(dtype='float32', shape=[1, 3, None, None]),
            rpn_reg_0=dict(dtype='float32', shape=[1, 12, None, None]),
            rpn_reg_1=dict(dtype='float32', shape=[1, 12, None, None]),
            rpn_reg_2=dict(dtype='float32', shape=[1, 12, None, None]),
            rpn_reg_3=dict(dtype='float32', shape=[1, 12, None, None]),
            rpn_reg_4=dict(dtype='float32', shape=[1, 12, None, None]))),
    bbox_head=dict(
        file='masktrack_rcnn_r50_fpn_12e_youtubevis2019/bbox_head.onnx',
        inputs=dict(roi_feats=dict(dtype='float32', shape=['num_rois', 256, 7, 7])),
        outputs=dict(
            cls_score=dict(dtype='float32', shape=['num_rois', 41]),
            bbox_pred=dict(dtype='float32', shape=['num_rois', 160]))),
    mask_head=dict(
        file='masktrack_rcnn_r50_fpn_12e_youtubevis2019/mask_head.onnx',
        inputs=dict(mask_feats=dict(dtype='float32', shape=['num_rois', 256, 14, 14])),
        outputs=dict(mask_pred=dict(dtype='float32', shape=['num_rois', 40, 28, 28]))),
    track_head=dict(
        file='masktrack_rcnn_r50_fpn_12e_youtubevis2019/track_head.onnx',
        inputs=dict(roi_feats=dict(dtype='float32', shape=['num_rois', 256, 7, 7])),
        outputs=dict(embed=dict(dtype='float32', shape=['num_rois', 1024]))))
