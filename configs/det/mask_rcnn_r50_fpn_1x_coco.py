# Mask R-CNN (https://arxiv.org/abs/1703.06870), ResNet-50 + FPN, 12 epochs on COCO: the annotated example of
# the config tutorial.
_base_ = [
    '../_base_/models/mask_rcnn_r50_fpn.py',
    '../_base_/datasets/coco_instance.py',
    '../_base_/schedules/schedule_1x.py', '../_base_/default_runtime.py'
]
