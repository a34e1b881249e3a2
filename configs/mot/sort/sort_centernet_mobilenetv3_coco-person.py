# SORT (https://arxiv.org/abs/1602.00763) on the default detector: Kalman filter + IoU matching, no appearance.
# MMTracking's SORT is its DeepSORT model without `reid` (configs/mot/deepsort/sort_faster-rcnn_fpn_4e_mot17-*.py).
_base_ = ['../../_base_/models/centernet_mobilenetv3.py']
model = dict(
    type='DeepSORT',
    detector=dict(test_cfg=dict(score_thr=0.1)),
    motion=dict(type='KalmanFilter', center_only=False),
    tracker=dict(
        type='SortTracker',
        obj_score_thr=0.25,  # MMTracking uses 0.5 with Faster R-CNN; this detector scores people 0.15-0.5
        match_iou_thr=0.5,
        reid=None,  # SORT: no appearance (MMTracking's SORT configs set reid=None too)
        momentums=None,
        num_tentatives=2,
        num_frames_retain=100))
classes = ('person', )
