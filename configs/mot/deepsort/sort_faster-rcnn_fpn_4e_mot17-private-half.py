# SORT (https://arxiv.org/abs/1602.00763) as MMTracking's configs/mot/deepsort/sort_faster-rcnn_fpn_4e_mot17-private-half.py:
# the pedestrian Faster R-CNN of Tracktor's config (one class), exported by the user to ONNX as docs/models.md
# describes and named by that config's onnx section (tracktor_mot17/backbone.onnx, bbox_head.onnx under --model-dir;
# dropped on "Use my ONNX…" in the app). Tracker values are MMTracking's.
_base_ = ['../tracktor/tracktor_faster-rcnn_r50_fpn_4e_mot17-private-half.py']
model = dict(
    _delete_=True,
    type='DeepSORT',
    detector={{ _base_.model.detector }},
    motion=dict(type='KalmanFilter', center_only=False),
    tracker=dict(
        type='SortTracker', obj_score_thr=0.5, match_iou_thr=0.5, reid=None))
