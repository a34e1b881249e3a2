# ByteTrack (https://arxiv.org/abs/2110.06864) on a user's Faster R-CNN: the pedestrian detector of MMTracking's
# Tracktor/SORT configs (faster-rcnn_r50_fpn_4e_mot17-half), exported to ONNX as docs/models.md describes and named
# by the Tracktor config's onnx section (tracktor_mot17/backbone.onnx, bbox_head.onnx under --model-dir).
# Thresholds are MMTracking's ByteTrack defaults, made for detectors whose person scores are near 1.
_base_ = ['../tracktor/tracktor_faster-rcnn_r50_fpn_4e_mot17-private-half.py']
model = dict(
    _delete_=True,
    type='ByteTrack',
    detector={{ _base_.model.detector }},
    motion=dict(type='KalmanFilter'),
    tracker=dict(
        type='ByteTracker',
        obj_score_thrs=dict(high=0.6, low=0.1),
        init_track_thr=0.7,
        weight_iou_with_det_scores=True,
        match_iou_thrs=dict(high=0.1, low=0.5, tentative=0.3),
        num_frames_retain=30))
