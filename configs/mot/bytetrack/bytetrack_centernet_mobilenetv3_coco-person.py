# ByteTrack (https://arxiv.org/abs/2110.06864) on the default detector: high-score detections are matched first,
# low-score ones recover occluded tracks. MMTracking's ByteTrack configs use high=0.6 / init_track_thr=0.7 for YOLOX,
# whose person scores are near 1; this CenterNet scores people 0.15-0.5, so the thresholds are scaled down.
_base_ = ['../../_base_/models/centernet_mobilenetv3.py']
model = dict(
    type='ByteTrack',
    detector=dict(test_cfg=dict(score_thr=0.01)),
    motion=dict(type='KalmanFilter'),
    tracker=dict(
        type='ByteTracker',
        obj_score_thrs=dict(high=0.25, low=0.1),
        init_track_thr=0.25,
        weight_iou_with_det_scores=True,
        match_iou_thrs=dict(high=0.1, low=0.5, tentative=0.3),
        num_frames_retain=30))
# COCO class 0 ('person') is the tracked class
classes = ('person', )
